import {
  batchPutAll,
  dynamoGazetteerStore,
  getRuntime,
  householdItems,
  identityItem,
  loadSecrets,
  seedGazetteer,
} from '@madad/adapters';
import type { HouseholdImport, IdentityImport } from '@madad/core';

/** The CNIC printed in `npm start`'s ready-to-paste curl: a woman heading a household in Lahore. */
export const DEMO_CNIC = '3520212345672';

const demoHouseholds: HouseholdImport[] = [
  {
    householdId: 'DEMO-0001',
    province: 'Punjab',
    district: 'Lahore',
    tehsil: 'Lahore City',
    pmtScore: 18.4,
    surveyedAt: '2021-03-14',
    programmes: ['KAFAALAT'],
    source: 'survey',
    phones: ['03001234567'],
    members: [
      {
        cnic: DEMO_CNIC,
        name: 'Shabana Bibi',
        gender: 'female',
        birthYear: 1984,
        relation: 'head',
        maritalStatus: 'widowed',
        disabled: false,
      },
      {
        cnic: '3520298765431',
        name: 'Imran Ali',
        gender: 'male',
        birthYear: 2004,
        relation: 'child',
        maritalStatus: 'single',
        disabled: false,
      },
    ],
  },
  {
    householdId: 'DEMO-0002',
    province: 'Sindh',
    district: 'Karachi Central',
    tehsil: 'Gulberg',
    pmtScore: 41.2,
    surveyedAt: '2020-11-02',
    programmes: [],
    source: 'survey',
    phones: ['03211234567'],
    members: [
      {
        cnic: '4210112345673',
        name: 'Aslam Khan',
        gender: 'male',
        birthYear: 1975,
        relation: 'head',
        maritalStatus: 'married',
        disabled: false,
      },
      {
        cnic: '4210112345674',
        name: 'Nasreen Aslam',
        gender: 'female',
        birthYear: 1979,
        relation: 'spouse',
        maritalStatus: 'married',
        disabled: false,
      },
    ],
  },
];

const demoIdentities: IdentityImport[] = [
  {
    cnic: DEMO_CNIC,
    name: 'Shabana Bibi',
    gender: 'female',
    birthYear: 1984,
    status: 'ALIVE',
    simPhones: ['03001234567'],
  },
  {
    cnic: '4210112345673',
    name: 'Aslam Khan',
    gender: 'male',
    birthYear: 1975,
    status: 'ALIVE',
    simPhones: ['03211234567'],
  },
  {
    cnic: '6110112345675',
    name: 'Deceased Person',
    gender: 'male',
    birthYear: 1940,
    status: 'DECEASED',
    simPhones: [],
  },
];

/** Seeds a tiny demo registry so that the printed curl gets a real "found in the registry" answer. */
export async function seedDemo(): Promise<{ households: number }> {
  const { config, doc } = getRuntime();
  const { cnicPepper } = await loadSecrets();
  const items = [
    ...demoHouseholds.flatMap((h) => householdItems(cnicPepper, h)),
    ...demoIdentities.map((i) => identityItem(cnicPepper, i)),
  ];
  await batchPutAll(doc, config.tables.registry, items);
  // The built-in gazetteer, stored so that `madad import areas` edits it (districts as items).
  await seedGazetteer(dynamoGazetteerStore(doc, config.tables.registry));
  return { households: demoHouseholds.length };
}
