import { areaNameUr } from './areas-ur.js';
import type { AreaRecord } from './gazetteer/area-record.js';
import { Gazetteer } from './gazetteer/gazetteer.js';

/** A district and its tehsils (sub-districts), spelled as in the registry. */
export interface District {
  readonly name: string;
  readonly tehsils: readonly string[];
  /** CNIC province digit when it differs from the province's (2 for the merged tribal districts). */
  readonly cnicCode?: number;
}

export interface Province {
  readonly name: string;
  /** First digit of CNICs issued there (1 KP, 2 tribal, 3 Punjab, 4 Sindh, 5 Balochistan, 6 ICT, 7 GB/AJK). */
  readonly cnicCode: number;
  readonly districts: readonly District[];
}

const d = (name: string, tehsils: string[], cnicCode?: number): District => ({
  name,
  tehsils,
  ...(cnicCode ? { cnicCode } : {}),
});

/**
 * The built-in gazetteer: real provinces, districts and tehsils, a working subset of Pakistan's
 * administrative units (not all ~160 districts), without PBS codes. It is the default: the stack
 * seeds it on first start and an areas file (`madad import areas FILE`) adds or replaces districts
 * without a code change. Import lines naming an area the gazetteer lacks are rejected as UNKNOWN_AREA,
 * so a typo never creates a district nobody's campaign covers.
 */
export const PAKISTAN_AREAS: readonly Province[] = [
  {
    name: 'Punjab',
    cnicCode: 3,
    districts: [
      d('Lahore', ['Lahore City', 'Lahore Cantt', 'Model Town', 'Raiwind', 'Shalimar']),
      d('Faisalabad', [
        'Faisalabad City',
        'Faisalabad Saddar',
        'Jaranwala',
        'Samundri',
        'Tandlianwala',
        'Chak Jhumra',
      ]),
      d('Rawalpindi', [
        'Rawalpindi',
        'Gujar Khan',
        'Kahuta',
        'Kotli Sattian',
        'Murree',
        'Taxila',
        'Kallar Syedan',
      ]),
      d('Multan', ['Multan City', 'Multan Saddar', 'Shujabad', 'Jalalpur Pirwala']),
      d('Gujranwala', ['Gujranwala City', 'Gujranwala Saddar', 'Kamoke', 'Nowshera Virkan']),
      d('Bahawalpur', [
        'Bahawalpur City',
        'Bahawalpur Saddar',
        'Ahmadpur East',
        'Hasilpur',
        'Khairpur Tamewali',
        'Yazman',
      ]),
      d('Sargodha', ['Sargodha', 'Bhalwal', 'Kot Momin', 'Sahiwal', 'Shahpur', 'Sillanwali', 'Bhera']),
      d('Dera Ghazi Khan', ['Dera Ghazi Khan', 'Taunsa', 'Kot Chutta']),
      d('Rahim Yar Khan', ['Rahim Yar Khan', 'Khanpur', 'Liaquatpur', 'Sadiqabad']),
      d('Muzaffargarh', ['Muzaffargarh', 'Alipur', 'Jatoi', 'Kot Addu']),
      d('Sialkot', ['Sialkot', 'Daska', 'Pasrur', 'Sambrial']),
      d('Sheikhupura', ['Sheikhupura', 'Ferozewala', 'Muridke', 'Safdarabad', 'Sharaqpur']),
      d('Rajanpur', ['Rajanpur', 'Jampur', 'Rojhan']),
      d('Layyah', ['Layyah', 'Chaubara', 'Karor Lal Esan']),
      d('Okara', ['Okara', 'Depalpur', 'Renala Khurd']),
      d('Jhang', ['Jhang', 'Shorkot', 'Ahmadpur Sial', 'Athara Hazari']),
    ],
  },
  {
    name: 'Sindh',
    cnicCode: 4,
    districts: [
      d('Karachi Central', ['Gulberg', 'Liaquatabad', 'Nazimabad', 'New Karachi', 'North Nazimabad']),
      d('Karachi East', ['Ferozabad', 'Gulshan-e-Iqbal', 'Gulzar-e-Hijri', 'Jamshed Quarters']),
      d('Karachi West', ['Orangi', 'Manghopir', 'Mominabad']),
      d('Karachi South', ['Saddar', 'Lyari', 'Civil Lines', 'Garden', 'Arambagh']),
      d('Hyderabad', ['Hyderabad City', 'Hyderabad Rural', 'Latifabad', 'Qasimabad']),
      d('Sukkur', ['Sukkur City', 'New Sukkur', 'Rohri', 'Pano Aqil', 'Salehpat']),
      d('Larkana', ['Larkana', 'Bakrani', 'Dokri', 'Ratodero']),
      d('Tharparkar', ['Mithi', 'Chachro', 'Diplo', 'Islamkot', 'Nagarparkar', 'Kaloi', 'Dahli']),
      d('Dadu', ['Dadu', 'Johi', 'Khairpur Nathan Shah', 'Mehar']),
      d('Badin', ['Badin', 'Matli', 'Talhar', 'Tando Bago', 'Shaheed Fazil Rahu']),
      d('Thatta', ['Thatta', 'Ghorabari', 'Mirpur Sakro', 'Keti Bandar']),
      d('Jacobabad', ['Jacobabad', 'Garhi Khairo', 'Thul']),
      d('Sanghar', ['Sanghar', 'Jam Nawaz Ali', 'Khipro', 'Shahdadpur', 'Sinjhoro', 'Tando Adam']),
      d('Khairpur', ['Khairpur', 'Gambat', 'Kingri', 'Kot Diji', 'Nara', 'Sobhodero', 'Faiz Ganj']),
      d('Mirpurkhas', ['Mirpurkhas', 'Digri', 'Jhuddo', 'Kot Ghulam Muhammad', 'Sindhri']),
      d('Qambar Shahdadkot', ['Qambar', 'Shahdadkot', 'Miro Khan', 'Warah']),
    ],
  },
  {
    name: 'Khyber Pakhtunkhwa',
    cnicCode: 1,
    districts: [
      d('Peshawar', ['Peshawar City', 'Shah Alam', 'Mathra', 'Badaber', 'Hassan Khel', 'Chamkani']),
      d('Mardan', ['Mardan', 'Takht Bhai', 'Katlang', 'Rustam', 'Garhi Kapura']),
      d('Swat', ['Babuzai', 'Kabal', 'Matta', 'Khwazakhela', 'Bahrain', 'Barikot', 'Charbagh']),
      d('Abbottabad', ['Abbottabad', 'Havelian', 'Lora', 'Lower Tanawal']),
      d('Dera Ismail Khan', ['Dera Ismail Khan', 'Kulachi', 'Paharpur', 'Daraban', 'Paroa']),
      d('Nowshera', ['Nowshera', 'Pabbi', 'Jehangira']),
      d('Charsadda', ['Charsadda', 'Tangi', 'Shabqadar']),
      d('Mansehra', ['Mansehra', 'Balakot', 'Oghi', 'Baffa Pakhal']),
      d('Lower Chitral', ['Chitral', 'Drosh']),
      d('Kohat', ['Kohat', 'Lachi', 'Gumbat', 'Dara Adam Khel']),
      d('Bannu', ['Bannu', 'Domel', 'Kakki']),
      // The former tribal agencies, merged in 2018; CNICs issued there still start with 2.
      d('Khyber', ['Jamrud', 'Landi Kotal', 'Bara', 'Mula Gori'], 2),
      d('Bajaur', ['Khar', 'Nawagai', 'Mamund', 'Salarzai', 'Utman Khel', 'Barang', 'Chamarkand'], 2),
      d('North Waziristan', ['Miranshah', 'Mir Ali', 'Razmak', 'Datta Khel', 'Spinwam'], 2),
      d('South Waziristan', ['Wana', 'Ladha', 'Sararogha', 'Makeen'], 2),
      d('Kurram', ['Upper Kurram', 'Central Kurram', 'Lower Kurram'], 2),
      d('Mohmand', ['Ghalanai', 'Halimzai', 'Pindiali', 'Safi', 'Upper Mohmand'], 2),
    ],
  },
  {
    name: 'Balochistan',
    cnicCode: 5,
    districts: [
      d('Quetta', ['Quetta City', 'Quetta Saddar', 'Panjpai', 'Kuchlak']),
      d('Kech', ['Turbat', 'Buleda', 'Dasht', 'Tump', 'Mand']),
      d('Khuzdar', ['Khuzdar', 'Wadh', 'Zehri', 'Nal']),
      d('Gwadar', ['Gwadar', 'Pasni', 'Jiwani', 'Ormara']),
      d('Jaffarabad', ['Dera Allah Yar', 'Jhat Pat', 'Gandakha']),
      d('Loralai', ['Loralai', 'Bori', 'Mekhtar']),
      d('Zhob', ['Zhob', 'Qamar Din Karez', 'Ashwat']),
      d('Lasbela', ['Bela', 'Uthal', 'Lakhra']),
      d('Nasirabad', ['Dera Murad Jamali', 'Tamboo', 'Chattar']),
    ],
  },
  {
    name: 'Islamabad Capital Territory',
    cnicCode: 6,
    districts: [d('Islamabad', ['Islamabad Urban', 'Islamabad Rural'])],
  },
  {
    name: 'Gilgit-Baltistan',
    cnicCode: 7,
    districts: [
      d('Gilgit', ['Gilgit', 'Danyor', 'Juglot']),
      d('Skardu', ['Skardu', 'Gultari', 'Rondu']),
      d('Hunza', ['Aliabad', 'Gojal']),
      d('Ghizer', ['Gahkuch', 'Gupis', 'Punial', 'Yasin', 'Ishkoman']),
      d('Diamer', ['Chilas', 'Darel', 'Tangir']),
    ],
  },
  {
    name: 'Azad Jammu and Kashmir',
    cnicCode: 7,
    districts: [
      d('Muzaffarabad', ['Muzaffarabad', 'Pattika']),
      d('Mirpur', ['Mirpur', 'Dadyal', 'Islamgarh']),
      d('Kotli', ['Kotli', 'Khuiratta', 'Sehnsa', 'Fatehpur Thakiala', 'Charhoi']),
      d('Bagh', ['Bagh', 'Dhirkot', 'Hari Ghel']),
      d('Poonch', ['Rawalakot', 'Hajira', 'Abbaspur', 'Thorar']),
      d('Neelum', ['Athmuqam', 'Sharda']),
    ],
  },
];

/** The canonical spelling of a known area, or why it is not known (with the nearest known names). */
export type AreaResult =
  | { ok: true; province: string; district: string; tehsil: string; cnicCode: number }
  | { ok: false; message: string; suggestions?: string[] };

/** The built-in list as gazetteer records (one per tehsil), with the Urdu names: the default file. */
export function builtInAreaRecords(): AreaRecord[] {
  return PAKISTAN_AREAS.flatMap((province) =>
    province.districts.flatMap((district) =>
      district.tehsils.map((tehsil) => ({
        province: province.name,
        district: district.name,
        tehsil,
        cnicCode: district.cnicCode ?? province.cnicCode,
        ...urdu('provinceUr', province.name),
        ...urdu('districtUr', district.name),
        ...urdu('tehsilUr', tehsil),
      })),
    ),
  );
}

const urdu = (key: 'provinceUr' | 'districtUr' | 'tehsilUr', name: string) => {
  const ur = areaNameUr(name);
  return ur ? { [key]: ur } : {};
};

let builtIn: Gazetteer | undefined;

/** The gazetteer shipped with Madad (seeded on first start; in force until an areas file is imported). */
export function builtInGazetteer(): Gazetteer {
  builtIn ??= Gazetteer.fromRecords(builtInAreaRecords());
  return builtIn;
}

/** Resolves a province / district / tehsil triple against the built-in list, in its canonical spelling. */
export function resolveArea(province: string, district: string, tehsil: string): AreaResult {
  return builtInGazetteer().resolve(province, district, tehsil);
}

/** True when the tehsil is in the district and the district in the province (built-in list). */
export function isKnownArea(province: string, district: string, tehsil: string): boolean {
  return resolveArea(province, district, tehsil).ok;
}
