export function KioskApp() {
  return <main>Kiosk coming soon</main>;
}
