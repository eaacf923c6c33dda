export function StaffApp() {
  return <main>Staff console coming soon</main>;
}
