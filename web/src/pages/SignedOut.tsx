/** Shown without a session: how to get one (locally, a one-time link from the terminal). */
export function SignedOut({ reason }: { reason?: string }) {
  return (
    <main class="page narrow" id="main">
      <h1>otpvault</h1>
      {reason && (
        <p class="error" role="alert">
          {reason}
        </p>
      )}
      <p>You are not signed in.</p>
      <p>
        On the local stack, open the one-time sign-in link that <code>npm start</code> printed, or print one for yourself:
      </p>
      <pre tabIndex={0}>npm run --silent otpvault -- local login-url --user &lt;name&gt; [--groups a,b]</pre>
    </main>
  );
}
