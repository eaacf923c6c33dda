/**
 * Reads an ESC/POS print job back: the text lines as they would come out on paper and the
 * data of every QR code (GS ( k, function 180: store data). Knows the commands our encoder
 * emits and refuses any other, so a change in the bytes fails a test loudly instead of
 * being skipped. Text is decoded as ASCII (receipts in the tests are ASCII).
 */
export interface DecodedJob {
  lines: string[];
  qrCodes: string[];
  /** Lines printed bold (ESC E 1). */
  boldLines: string[];
  cut: boolean;
  statusQueries: number[];
}

export function decodeEscPos(bytes: Uint8Array): DecodedJob {
  const job: DecodedJob = { lines: [], qrCodes: [], boldLines: [], cut: false, statusQueries: [] };
  let line = '';
  let bold = false;
  let lineBold = false;
  const endLine = () => {
    job.lines.push(line);
    if (lineBold) job.boldLines.push(line);
    line = '';
    lineBold = false;
  };
  let i = 0;
  const take = (n: number) => {
    if (i + n > bytes.length) throw new Error(`ESC/POS command cut short at byte ${i}`);
    const out = bytes.subarray(i, i + n);
    i += n;
    return out;
  };
  while (i < bytes.length) {
    const b = bytes[i++]!;
    if (b === 0x0a) endLine();
    else if (b === 0x0d) continue;
    else if (b >= 0x20 && b < 0x7f) {
      line += String.fromCharCode(b);
      lineBold ||= bold;
    } else if (b === 0x10) {
      const [eot, n] = take(2);
      if (eot !== 0x04) throw new Error(`unknown DLE command ${eot}`);
      job.statusQueries.push(n!);
    } else if (b === 0x1b) {
      const c = take(1)[0]!;
      if (c === 0x40) continue; // ESC @ initialize
      if (c === 0x45) {
        bold = take(1)[0] === 1;
        continue;
      } // ESC E n
      if ([0x4d, 0x74, 0x61, 0x2d, 0x64, 0x4a, 0x33, 0x21].includes(c)) {
        take(1);
        continue;
      } // font, codepage, align, underline, feed, spacing, mode
      if (c === 0x32) continue; // ESC 2 default spacing
      throw new Error(`unknown ESC command 0x${c.toString(16)} at byte ${i - 2}`);
    } else if (b === 0x1c) {
      const c = take(1)[0]!;
      if (c === 0x2e) continue; // FS . cancel Kanji mode
      throw new Error(`unknown FS command 0x${c.toString(16)}`);
    } else if (b === 0x1d) {
      const c = take(1)[0]!;
      if (c === 0x28) {
        const [k, pL, pH] = take(3);
        if (k !== 0x6b) throw new Error(`unknown GS ( command 0x${k!.toString(16)}`);
        const body = take(pL! + pH! * 256);
        // cn 49 = QR code; fn 80 = store data (then m = 48 and the data itself).
        if (body[0] === 49 && body[1] === 80) job.qrCodes.push(new TextDecoder().decode(body.subarray(3)));
        continue;
      }
      if (c === 0x56) {
        const m = take(1)[0]!;
        if (m === 65 || m === 66) take(1);
        job.cut = true;
        continue;
      } // GS V cut
      if ([0x21, 0x42, 0x62].includes(c)) {
        take(1);
        continue;
      } // size, invert, smoothing
      throw new Error(`unknown GS command 0x${c.toString(16)} at byte ${i - 2}`);
    } else {
      throw new Error(`unexpected byte 0x${b.toString(16)} at ${i - 1}`);
    }
  }
  if (line) endLine();
  return job;
}
