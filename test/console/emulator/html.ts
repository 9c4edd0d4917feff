/** The console's login page, as a servlet container's form login serves it. */
export function loginPageHtml(error = false): string {
  return `<!DOCTYPE html>
<html><head><title>Policy Console – Sign in</title></head>
<body>
<h1>Sign in</h1>
${error ? '<p class="error">Invalid user name or password.</p>\n' : ''}<form method="POST" action="/mocana-app-control/rest/user/ping/j_security_check">
<label>Email <input name="j_username" type="email"></label>
<label>Password <input name="j_password" type="password"></label>
<button type="submit">Sign in</button>
</form>
</body></html>
`;
}

export function errorPageHtml(status = 500): string {
  return `<!DOCTYPE html>
<html><head><title>Error</title></head>
<body><h1>HTTP Status ${status} – Internal Server Error</h1><p>The server encountered an unexpected condition.</p></body></html>
`;
}
