// After a passkey is added, show the page again so the list includes it.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
