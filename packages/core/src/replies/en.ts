import type { ReasonCode } from '../eligibility/decision.js';
import type { AppealStage, PaymentStage, ReplyFacts, ReplyStatus, ReplyTexts } from './types.js';

/** The example CNIC of every reply that has none of the household's own: the one on NADRA's leaflets. */
export const EXAMPLE_CNIC = '35202-1234567-1';

const forCampaign = (f: ReplyFacts) => (f.campaign === undefined ? '' : ` for ${f.campaign}`);
const withCnic = (keyword: string, f: ReplyFacts) =>
  f.cnic === undefined ? `${keyword} and your CNIC` : `${keyword} ${f.cnic}`;
const check = (f: ReplyFacts) => `To check, send ${withCnic('STATUS', f)} to ${f.shortCode}.`;
const OWN_PHONE = "Register from your household's own phone, or visit your tehsil desk with your CNIC.";

function outcome(status: ReplyStatus, reasons: readonly ReasonCode[], f: ReplyFacts): string {
  switch (status) {
    case 'ELIGIBLE':
      if (f.topUp) {
        const from = f.campaign === undefined ? '' : ` from ${f.campaign}`;
        return `${f.amount ?? 'Extra money'}${from} is added for your household.`;
      }
      return f.amount === undefined
        ? `You are eligible${forCampaign(f)}.`
        : `You are eligible for ${f.amount}${f.campaign === undefined ? '' : ` from ${f.campaign}`}.`;
    case 'NOT_ELIGIBLE':
      return `You are not eligible${forCampaign(f)}.`;
    case 'PENDING_VERIFICATION':
      return `We received your registration${forCampaign(f)} and are checking it.`;
    case 'DUPLICATE':
      return `You are already registered${forCampaign(f)}. No need to send again.`;
    case 'NOT_REGISTERED':
      return `Your household is in our records but is not registered${forCampaign(f)} yet.`;
    case 'IDENTITY_MISMATCH':
      return 'We could not verify your CNIC.';
    case 'INVALID_REQUEST':
      return reasons.includes('INVALID_CNIC')
        ? `A CNIC has 13 digits, like ${EXAMPLE_CNIC}.`
        : 'We did not understand your message.';
    case 'NO_ACTIVE_CAMPAIGN':
      return 'No relief programme is open for your area now.';
    case 'CAMPAIGN_CLOSED':
      return `Registration${forCampaign(f)} is closed.`;
    case 'RATE_LIMITED':
      if (reasons.includes('CNIC_PHONES_LIMITED'))
        return 'This CNIC was sent from too many phones. Staff will review it.';
      return reasons.includes('PHONE_RATE_LIMITED')
        ? 'Too many messages came from this phone.'
        : 'Your message was not processed.';
    case 'WAITLISTED':
      return `You qualify${forCampaign(f)}, but the funds are used up for now. You are on the waiting list.`;
    case 'HELP':
      return `To register, send your 13-digit CNIC to ${f.shortCode}.`;
  }
}

const MONEY: Readonly<Record<PaymentStage | 'NONE', string>> = {
  NONE: 'We will SMS you when the money is sent, in the coming days. Collect it from a bank agent with your original CNIC.',
  IN_BATCH:
    'Your payment is being prepared; we will SMS you when it is sent. Bring your original CNIC to collect it.',
  APPROVED:
    'Your payment is approved and will be sent soon. Collect it from a bank agent with your original CNIC.',
  SENT: 'Your money has been sent: collect it from a bank agent with your original CNIC.',
  PAID: 'Your money has been paid.',
  FAILED: 'Your payment did not go through. Visit your tehsil desk with your original CNIC to fix it.',
  RETRYING: 'Your payment failed and is being sent again; we will SMS you when it is sent.',
};

function next(status: ReplyStatus, reasons: readonly ReasonCode[], f: ReplyFacts): string | undefined {
  switch (status) {
    case 'ELIGIBLE':
    case 'DUPLICATE':
      return check(f);
    case 'NOT_ELIGIBLE':
      return `Wrong? Send ${withCnic('APPEAL', f)} and the reason to ${f.shortCode}.`;
    case 'PENDING_VERIFICATION':
      return `We will SMS you the result. ${check(f)}`;
    case 'NOT_REGISTERED':
      return `To register, send ${f.cnic ?? 'your 13-digit CNIC'} to ${f.shortCode}.`;
    case 'IDENTITY_MISMATCH':
      return 'Visit your tehsil desk with your original CNIC.';
    case 'INVALID_REQUEST':
      return reasons.includes('INVALID_CNIC')
        ? `Please send it again to ${f.shortCode}.`
        : `To register, send your 13-digit CNIC to ${f.shortCode}, like ${EXAMPLE_CNIC}. For help, send HELP.`;
    case 'NO_ACTIVE_CAMPAIGN':
      return 'Send your CNIC again when a programme for your area is announced.';
    case 'CAMPAIGN_CLOSED':
      return `To check an earlier registration, send ${withCnic('STATUS', f)} to ${f.shortCode}.`;
    case 'RATE_LIMITED':
      return OWN_PHONE;
    case 'WAITLISTED':
      return `We will SMS you if funds are added. ${check(f)}`;
    case 'HELP':
      return `To check, send STATUS and your CNIC, like STATUS ${EXAMPLE_CNIC}. To complain, send APPEAL, your CNIC and the reason.`;
  }
}

function appeal(stage: AppealStage, f: ReplyFacts): string {
  const ref = f.reference === undefined ? '' : ` ${f.reference}`;
  switch (stage) {
    case 'RECEIVED':
      return `Your complaint is registered${ref === '' ? '' : `, ref${ref}`}. Staff will review it and SMS you the result.`;
    case 'UPHELD':
      return `Your complaint${ref} was reviewed: the decision stays. For help, visit your tehsil desk with your original CNIC.`;
    case 'OVERTURNED':
      return `Your complaint${ref} was accepted: the decision is changed in your favour. ${check(f)}`;
  }
}

export const englishTexts: ReplyTexts = {
  prefix: 'Madad: ',
  amount: (grouped) => `Rs ${grouped}`,
  reference: (reference) => `Ref ${reference}.`,
  outcome,
  reasons: {
    SCORE_ABOVE_THRESHOLD: 'The survey shows your household above the poverty limit.',
    OUTSIDE_AFFECTED_AREA: 'Your registered address is outside the affected area.',
    EXCLUSION_VEHICLE_OWNER: 'Records show a vehicle owned in your household.',
    EXCLUSION_INTL_TRAVEL: 'Records show foreign travel in your household.',
    EXCLUSION_GOVT_EMPLOYEE: 'Records show a government employee in your household.',
    EXCLUSION_HIGH_PHONE_BILL: 'Records show high phone bills in your household.',
    EXCLUSION_EXECUTIVE_ID: 'Records show an executive CNIC in your household.',
    NOT_IN_REGISTRY: 'Your household is not in our records yet.',
    IDENTITY_UNKNOWN: 'This CNIC was not found in NADRA records.',
    IDENTITY_DECEASED: 'NADRA records show this CNIC holder as deceased.',
    IDENTITY_BLOCKED: 'This CNIC is blocked in NADRA records.',
  },
  otherExclusion: 'Records show your household does not meet the rules.',
  money: (stage) => MONEY[stage ?? 'NONE'],
  next,
  appeal,
  forwarded:
    "Your message was received. The answer is sent by SMS to the household's registered phone numbers.",
  askInPerson:
    'Your message was received. No phone is registered for this household: for the answer, visit your tehsil desk with the CNIC.',
};
