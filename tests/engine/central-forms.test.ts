import { describe, expect, it } from 'vitest';
import { parseSettings, parseSlotMap, parseTargets, slotMapText } from '../../central/operator/forms';

/** The operator console's forms read into documents (central/operator/forms.ts). */
describe('the slot-map form', () => {
  it('reads rows and single slots, and writes a map back so that it reads the same (labels with hyphens or spaces quoted)', () => {
    expect(parseSlotMap('# row A\nA1-A3 car 6500\n\nEV1 ev 9000 closed\n"L2-10" bike 100')).toEqual({
      ok: true,
      value: {
        slots: [
          { label: 'A1', vehicleType: 'car', hourlyPrice: 6500, enabled: true },
          { label: 'A2', vehicleType: 'car', hourlyPrice: 6500, enabled: true },
          { label: 'A3', vehicleType: 'car', hourlyPrice: 6500, enabled: true },
          { label: 'EV1', vehicleType: 'ev', hourlyPrice: 9000, enabled: false },
          { label: 'L2-10', vehicleType: 'bike', hourlyPrice: 100, enabled: true },
        ],
      },
    });
    const slots = [
      { label: 'L2-10', vehicleType: 'car', hourlyPrice: 100, enabled: true },
      { label: 'Gate 3', vehicleType: 'truck', hourlyPrice: 12000, enabled: false },
      { label: 'B7', vehicleType: 'suv', hourlyPrice: 8000, enabled: true },
    ];
    expect(parseSlotMap(slotMapText(slots))).toEqual({ ok: true, value: { slots } });
  });

  it('names the line it cannot read', () => {
    expect(parseSlotMap('A1 car 6000\nA2 boat 10')).toMatchObject({ ok: false, problem: expect.stringContaining('Line 2') });
    expect(parseSlotMap('A1 car -5')).toMatchObject({ ok: false, problem: expect.stringContaining('Line 1') });
  });
});

describe('the settings and lot choices', () => {
  it('keeps only filled settings, as numbers where they are numbers, and refuses an empty form', () => {
    expect(parseSettings(new URLSearchParams({ graceMinutes: '7', name: '', timeZone: 'Asia/Kolkata' }))).toEqual({
      ok: true,
      value: { timeZone: 'Asia/Kolkata', graceMinutes: 7 },
    });
    expect(parseSettings(new URLSearchParams({ bookingMinutes: 'ten' }))).toMatchObject({ ok: false });
    expect(parseSettings(new URLSearchParams())).toMatchObject({ ok: false });
  });

  it('reads chosen lots as lot and local lot, ignores anything else, and names each once', () => {
    const form = new URLSearchParams();
    for (const site of [
      '3F2504E0-4F89-41D3-9A0C-0305E82C3301/1',
      'nonsense',
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301/1',
      '3f2504e0-4f89-41d3-9a0c-0305e82c3301/2',
    ])
      form.append('site', site);
    expect(parseTargets(form)).toEqual([
      { lotId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', localLotId: 1 },
      { lotId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', localLotId: 2 },
    ]);
  });
});
