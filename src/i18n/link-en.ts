/**
 * Several kiosks at one lot (issue 14): how this kiosk reaches the lot's hub, on the kiosk
 * and in the console. `{name}` marks a value filled in at runtime.
 */
export const linkEn = {
  kiosk: {
    offlineLeasesTitle: 'This kiosk is offline.',
    offlineLeasesBody: 'You can still book slots {slots} until {time}.',
    offlineLeasesLater: "Bookings made here reach the lot's system when the connection is back.",
    offlineLeasesNoSlots: 'It has no slots of its own to sell right now. You can still find or cancel a booking made at this kiosk.',
    outOfServiceTitle: 'This kiosk is out of service.',
    outOfServiceWhy: "It cannot reach the lot's system, so it cannot book a slot.",
    outOfServiceCan: 'You can still find or cancel a booking made at this kiosk.',
    outOfServiceElse: 'Or use another kiosk.',
    findBooking: 'Find my booking',
    // Why a slot cannot be chosen at this kiosk (typed reasons, see src/kiosk/link.ts).
    NOT_AT_THIS_KIOSK: 'Not available at this kiosk right now',
    KIOSK_OUT_OF_SERVICE: 'Not available at this kiosk',
    slotsOffline:
      'This kiosk is offline: only its own slots ({slots}) can be booked here until {time}. The others may be free; the other kiosks can book them.',
    bookDisabled: 'Booking is not possible at this kiosk right now',
  },
  console: {
    section: 'Kiosks',
    title: 'Kiosks at this lot',
    intro: 'Other kiosks and staff PCs join this hub once, with a one-time code. Each gets its own credential; revoke it here if a kiosk is lost or replaced.',
    notHub: "This kiosk does not serve TLS, so other kiosks cannot pair with it. Start it as the lot's hub (npm run serve -- --role hub) to add kiosks.",
    add: 'Add a kiosk',
    codeTitle: 'Pairing code',
    codeHelp: 'On the new kiosk, start it with this code and the hub address. The code works once and expires at {time}.',
    codeExpired: 'This code has expired. Make a new one.',
    fingerprint: 'Hub fingerprint',
    fingerprintHelp: 'The new kiosk shows the fingerprint it sees; it must match this one.',
    address: 'Hub address',
    command: 'Command on the new kiosk',
    none: 'No kiosk is paired with this hub yet.',
    name: 'Kiosk',
    state: 'State',
    lastContact: 'Last contact',
    backlog: 'Journal backlog',
    leased: 'Leased slots',
    pairedAt: 'Paired',
    revoke: 'Revoke',
    revokeConfirm: 'Revoke "{name}"? It is refused at once and must be paired again with a new code.',
    revokeYes: 'Revoke kiosk',
    cancel: 'Cancel',
    never: 'never',
    secondsAgo: '{n} s ago',
    minutesAgo: '{n} min ago',
    connection: { connected: 'In contact', lost: 'Contact lost', never: 'Not heard from yet', revoked: 'Revoked' },
    states: { online: 'Online', 'offline-leases': 'Offline on leases', 'out-of-service': 'Out of service' },
    lastSaid: 'Last said: {state}',
    linkTitle: "This kiosk's link to the hub",
    role: { single: 'Single kiosk (its own hub)', hub: 'Hub of this lot', satellite: 'Satellite of {hub}' },
    linkLeased: 'Leased slots: {slots} until {time}',
    linkBacklog: 'Bookings waiting to reach the hub: {n}',
    linkLastContact: 'Last contact with the hub: {time}',
  },
};

export type LinkMessages = typeof linkEn;
