import { fileText, xmlText } from './file-text.js';
import type { PaymentBatch, PaymentLine } from './model.js';

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** ISO 20022 amounts: PKR with two decimals. */
const amount = (rupees: number) => `${rupees}.00`;

// The file's order must not depend on the order the store returned the lines in.
const byReference = (lines: readonly PaymentLine[]) =>
  [...lines].sort((a, b) => (a.paymentReference < b.paymentReference ? -1 : 1));

/** Max35Text / Max140Text: cleaned, escaped after cutting so no entity is split. */
const text = (value: string, max: number) => xmlText(fileText(value).slice(0, max));

/**
 * The batch as an ISO 20022 `pain.001.001.09` CustomerCreditTransferInitiation: one payment
 * information block for the batch, one credit transfer per line with the payment reference as
 * EndToEndId, the payee's name, and their CNIC as a private identification (scheme `CNIC`), for
 * cash-out against the ID card. NbOfTxs and CtrlSum match the lines in the group header and the
 * block. The debtor is the campaign (its id as the debtor account, until a bank account is
 * configured); the agent is left to the receiving bank (`NOTPROVIDED`).
 */
export function renderInstructionsPain001(batch: PaymentBatch, lines: readonly PaymentLine[]): string {
  const rows = byReference(lines);
  const count = rows.length;
  const total = amount(rows.reduce((sum, l) => sum + l.amount, 0));
  const created = (batch.approvedAt ?? batch.createdAt).replace(/\.\d+Z$/, 'Z');
  const executeOn = created.slice(0, 10);
  const transfers = rows.map((l) =>
    [
      '      <CdtTrfTxInf>',
      `        <PmtId><EndToEndId>${text(l.paymentReference, 35)}</EndToEndId></PmtId>`,
      `        <Amt><InstdAmt Ccy="PKR">${amount(l.amount)}</InstdAmt></Amt>`,
      '        <Cdtr>',
      `          <Nm>${text(l.payeeName, 140)}</Nm>`,
      `          <Id><PrvtId><Othr><Id>${text(l.payeeCnic, 35)}</Id><SchmeNm><Prtry>CNIC</Prtry></SchmeNm></Othr></PrvtId></Id>`,
      '        </Cdtr>',
      `        <RmtInf><Ustrd>${text(`${batch.campaignId} ${l.district}`, 140)}</Ustrd></RmtInf>`,
      '      </CdtTrfTxInf>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Document xmlns="${PAIN001_NAMESPACE}">`,
    '  <CstmrCdtTrfInitn>',
    '    <GrpHdr>',
    `      <MsgId>${text(batch.batchId, 35)}</MsgId>`,
    `      <CreDtTm>${text(created, 35)}</CreDtTm>`,
    `      <NbOfTxs>${count}</NbOfTxs>`,
    `      <CtrlSum>${total}</CtrlSum>`,
    '      <InitgPty><Nm>Madad</Nm></InitgPty>',
    '    </GrpHdr>',
    '    <PmtInf>',
    `      <PmtInfId>${text(batch.batchId, 35)}</PmtInfId>`,
    '      <PmtMtd>TRF</PmtMtd>',
    `      <NbOfTxs>${count}</NbOfTxs>`,
    `      <CtrlSum>${total}</CtrlSum>`,
    `      <ReqdExctnDt><Dt>${executeOn}</Dt></ReqdExctnDt>`,
    `      <Dbtr><Nm>${text(`Madad ${batch.campaignId}`, 140)}</Nm></Dbtr>`,
    `      <DbtrAcct><Id><Othr><Id>${text(batch.campaignId, 34)}</Id></Othr></Id></DbtrAcct>`,
    '      <DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>',
    '      <ChrgBr>SLEV</ChrgBr>',
    ...transfers,
    '    </PmtInf>',
    '  </CstmrCdtTrfInitn>',
    '</Document>',
    '',
  ].join('\n');
}
