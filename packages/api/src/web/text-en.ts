import type { PageLanguage as Language } from '@madad/core';
import type { Asset, PublicStatusWord } from './i18n.js';

/** The public pages in English. Plain words; the Urdu text in `text-ur.ts` says the same. */
export const englishText = {
  site: 'Madad',
  tagline: 'Emergency cash support',
  switchTo: { label: 'اردو', lang: 'ur' as Language },
  nav: { register: 'Register', status: 'Check status' },
  footer: 'No phone with internet? Send your CNIC by SMS to 8171. For help, send HELP.',
  register: {
    title: 'Register for emergency support',
    intro:
      'Use your own CNIC and a mobile number that receives SMS. You can also register by sending your CNIC by SMS to 8171.',
    cnic: 'CNIC number',
    cnicHint: '13 digits, like 35202-1234567-1',
    phone: 'Mobile number',
    phoneHint: 'Like 0300 1234567. We send the answer here.',
    district: 'District',
    tehsil: 'Tehsil',
    tehsilHint: 'Tehsils are listed under their district.',
    choose: 'Choose…',
    household: 'About your household (optional)',
    householdHint:
      'Only needed if your family is not in the national survey (NSER). It helps staff review your case.',
    size: 'People in the household',
    children: 'Children under 18',
    assets: 'The household owns',
    asset: {
      none: 'None of these',
      livestock: 'Livestock',
      land: 'Land',
      motorcycle: 'Motorcycle',
      car: 'Car',
      tractor: 'Tractor',
      shop: 'Shop or business',
    } satisfies Record<Asset, string>,
    submit: 'Register',
  },
  errors: {
    summary: 'Please correct the fields marked below. What you typed is kept.',
    cnicMissing: 'Enter your CNIC.',
    cnic: 'A CNIC has 13 digits, like 35202-1234567-1.',
    phoneMissing: 'Enter your mobile number.',
    phone: 'Enter a mobile number like 0300 1234567.',
    district: 'Choose your district from the list.',
    tehsil: 'Choose a tehsil of your district.',
    size: 'Enter the number of people, from 1 to 40.',
    children: 'Enter the number of children, from 0 to 30.',
    reference: 'A reference has 8 letters and digits, like W7K2M9QX or 3NJAAYBA.',
    rateLimited: (minutes: number) =>
      `Too many attempts from this connection or phone. Nothing you typed is lost: wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and press the button again.`,
  },
  done: {
    title: 'Registration received',
    yourReference: 'Your reference',
    keep: 'Write this reference down. We will check your household and send the decision by SMS to the mobile number you gave.',
    howToCheck:
      'To check your status, open the status page with this reference, or send STATUS and your CNIC by SMS to 8171.',
    checkNow: 'Check status',
    another: 'Register someone else',
  },
  status: {
    title: 'Check your status',
    byReference: 'With your reference',
    reference: 'Reference',
    referenceHint: 'From our SMS or this website: 8 letters and digits, like W7K2M9QX',
    byCnic: 'Or with your CNIC and mobile number',
    check: 'Check',
    notFound:
      'We found no registration for that CNIC and mobile number. Use the mobile number you registered with.',
    amount: 'Amount',
    sms: 'The SMS we sent you',
    decidedAt: 'Decided on',
    words: {
      QUEUED: [
        'Received, waiting to be checked',
        // Also the answer to a reference that is unknown or not registered from the household's phone.
        "Checking usually takes a few minutes. The answer is sent by SMS to the household's registered mobile numbers; look again later.",
      ],
      RECEIVED: ['Received, being checked', 'Look again in a few minutes; we will also send an SMS.'],
      ELIGIBLE: [
        'You are eligible',
        'You will get an SMS when your payment is sent. Collect it with your original CNIC.',
      ],
      NOT_ELIGIBLE: [
        'You are not eligible',
        'If you think this is wrong, send APPEAL, your CNIC and the reason by SMS to 8171, or visit your tehsil registration desk.',
      ],
      PENDING_VERIFICATION: [
        'Waiting for verification',
        'Your household is not in the national survey yet. Staff will review your answers; you may be asked to visit your tehsil registration desk.',
      ],
      DUPLICATE: ['Already registered', 'You do not need to register again: your first registration stands.'],
      WAITLISTED: [
        'Eligible, on the waiting list',
        'You qualify, but the funds are used up for now. If funds are added, you will get an SMS in the order you registered.',
      ],
      IDENTITY_MISMATCH: [
        'Your CNIC could not be verified',
        'Visit your tehsil registration desk with your original CNIC.',
      ],
      INVALID_REQUEST: [
        'Your registration could not be processed',
        'Please register again and check the CNIC.',
      ],
      NO_ACTIVE_CAMPAIGN: [
        'No relief programme is open now',
        'Register again when a programme for your area is announced.',
      ],
      CAMPAIGN_CLOSED: ['Registration is closed', 'This programme no longer accepts registrations.'],
      RATE_LIMITED: [
        'Not processed: too many registrations from this phone',
        'Use your own mobile number, or visit your tehsil registration desk.',
      ],
    } satisfies Record<PublicStatusWord, readonly [string, string]>,
  },
  campaign: {
    title: 'Campaign figures',
    intro: 'Totals only: no names, CNICs or phone numbers are published.',
    open: 'Open for registration',
    closed: 'Closed',
    // The defined figure `decided` (core stats/figures.ts): every outcome, repeats not counted again.
    registered: 'Decided',
    areaNotVerified: 'Area not yet verified',
    eligible: 'Eligible',
    paid: 'Paid',
    district: 'District',
    tehsil: 'Tehsil',
    total: 'Total',
    households: 'Households paid',
    amountPaid: 'Amount paid (PKR)',
    paidNote: 'Payments are counted for the whole campaign, not yet by district.',
    asOf: 'Figures as of',
    hourly: 'updated every hour.',
    fewerThan5: 'fewer than 5',
    withheld: '–',
    otherTehsils: (district: string) => `Other tehsils of ${district}`,
    otherDistricts: 'Other districts',
    smallCells:
      'To protect households, a number under 5 is shown as "fewer than 5", areas with fewer than 5 eligible or fewer than 5 not eligible are counted with the other tehsils or districts, and "–" marks a number withheld so that a smaller one cannot be worked out.',
    none: 'No registrations counted yet.',
    notFound: 'There is no public campaign with that number.',
  },
};

export type PublicText = typeof englishText;
