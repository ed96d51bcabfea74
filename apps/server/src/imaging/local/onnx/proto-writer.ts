/**
 * Just enough protobuf wire encoding to serialise an ONNX model: varints, length-delimited fields
 * and packed repeated int64s. Messages are built bottom-up as byte arrays.
 */
export type Bytes = Uint8Array;

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

const tag = (field: number, wire: number): number[] => varint((field << 3) | wire);

export class MessageWriter {
  private readonly parts: Bytes[] = [];

  int(field: number, value: number | bigint): this {
    this.parts.push(Uint8Array.from([...tag(field, WIRE_VARINT), ...varint(value)]));
    return this;
  }

  bytes(field: number, value: Bytes): this {
    this.parts.push(Uint8Array.from([...tag(field, WIRE_LEN), ...varint(value.length)]), value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: MessageWriter): this {
    return this.bytes(field, value.finish());
  }

  packedInts(field: number, values: readonly number[]): this {
    return this.bytes(field, Uint8Array.from(values.flatMap((v) => varint(v))));
  }

  finish(): Bytes {
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of this.parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}
