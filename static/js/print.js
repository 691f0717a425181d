// The print pages' "Print this page" button, hidden until this script can make it work:
// without JavaScript the browser's own print command prints the same page.
for (const button of document.querySelectorAll('[data-module="register-print-button"]')) {
  button.classList.remove('govuk-!-display-none')
  button.addEventListener('click', () => window.print())
}
