import fc from 'fast-check';

/** Labels drawn from a small pool so random patterns and hosts overlap often. */
const LABELS = ['acme', 'a', 'b', 'mail', 'com', 'org', 'x-y', 'evil', 'acme1', 'eu', 'svc_1', '10'];

export const labelArb = fc.constantFrom(...LABELS);
export const hostArb = fc.array(labelArb, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.'));

/** A host pattern in normal form: labels with stars inserted anywhere. */
export const hostPatternArb = fc
  .tuple(
    fc.array(
      fc.oneof(
        labelArb,
        fc.constant('*'),
        labelArb.map((label) => `*${label}`),
        labelArb.map((label) => `${label}*`),
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    fc.boolean(),
  )
  .map(([labels, bareStar]) => (bareStar && labels.length === 1 ? '*' : labels.join('.').replace(/\*+/g, '*')));

export const portNumberArb = fc.constantFrom('443', '8443', '10443', '444', '1', '80', '4430', '65535');
export const portPatternArb = fc.oneof(portNumberArb, fc.constantFrom('*', '*443', '8*', '4*3', '', '1*'));

export const actionArb = fc.constantFrom('useEnrollmentCertificate', 'noCertificate');

export const ruleArb = fc.record({ host: hostPatternArb, port: portPatternArb, action: actionArb });
export const rulesArb = fc.array(ruleArb, { minLength: 0, maxLength: 8 });

/** An https URL whose host and port come from the same pools as the patterns. */
export const targetArb = fc.record({ host: hostArb, port: portNumberArb });
export const urlOf = (target: { host: string; port: string }) => (target.port === '443' ? `https://${target.host}/` : `https://${target.host}:${target.port}/`);
