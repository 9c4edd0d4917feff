import { CORPORATE_PROFILE_ID, DEMO_ADMIN, DEMO_USER, LARGE_PROFILE_ID, PATTERNS_PROFILE_ID } from './seed';

/**
 * What `npm run console` prints at start: where the console is, the accounts
 * and profiles, how to load your own rules into a profile, and a first sync
 * with the built command-line tool.
 */
export function startupText(emulator: { origin: string; url: string }, stateFile: string | undefined): string {
  const rulesUrl = `${emulator.origin}/__admin/profiles/${CORPORATE_PROFILE_ID}/rules`;
  return `Console emulator listening on ${emulator.origin}
  REST base URL:   ${emulator.url}
  login page:      ${emulator.origin}/mocana-app-control/login.jsp
  admin (faults):  ${emulator.origin}/__admin/faults   (POST {"resource":"profile","type":"status","status":503,"retryAfter":"60"}; DELETE clears)
Demo accounts:
  administrator   ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}   (bearer token: ${DEMO_ADMIN.token})
  non-admin       ${DEMO_USER.email} / ${DEMO_USER.password}   (bearer token: ${DEMO_USER.token})
Profiles:
  ${CORPORATE_PROFILE_ID}  Corporate (default)
  ${PATTERNS_PROFILE_ID}  Every pattern form
  ${LARGE_PROFILE_ID}  Large (5,000 rules)
${stateFile ? `Data saved to ${stateFile}\n` : ''}Load your own rules into a profile (a rules file in any form cert-rules reads; the profile gets a new stamp):
  curl --data-binary @my-rules.json ${rulesUrl}
  e.g. my-rules.json: [{"host": "*.corp.example.com", "port": "", "action": "useEnrollmentCertificate"}]
Sync them with the built command-line tool (npm run build first):
  CONSOLE_PASSWORD=${DEMO_ADMIN.password} node dist/cli/cert-rules.mjs sync --console ${emulator.url} --user ${DEMO_ADMIN.email} --password-env CONSOLE_PASSWORD --state /tmp/cert-rules-state.json
`;
}
