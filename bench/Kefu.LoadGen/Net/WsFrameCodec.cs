using System.Buffers.Binary;

namespace Kefu.LoadGen.Net;

internal enum WsOpcode : byte
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>RFC 6455 framing: clients mask what they send; servers send unmasked frames.</summary>
internal static class WsFrameCodec
{
    public const int MaxClientHeader = 14;

    /// <summary>Writes a masked frame with FIN set into <paramref name="destination"/>; returns its length.</summary>
    public static int WriteClientFrame(Span<byte> destination, WsOpcode opcode, ReadOnlySpan<byte> payload, uint maskKey)
    {
        destination[0] = (byte)(0x80 | (byte)opcode);
        int offset;
        if (payload.Length < 126)
        {
            destination[1] = (byte)(0x80 | payload.Length);
            offset = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            destination[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payload.Length);
            offset = 4;
        }
        else
        {
            destination[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payload.Length);
            offset = 10;
        }

        Span<byte> mask = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(mask, maskKey);
        mask.CopyTo(destination[offset..]);
        offset += 4;
        var body = destination.Slice(offset, payload.Length);
        for (var i = 0; i < payload.Length; i++)
            body[i] = (byte)(payload[i] ^ mask[i & 3]);
        return offset + payload.Length;
    }

    /// <summary>
    /// Reads one frame header. Returns false when <paramref name="data"/> does not yet hold the header and the
    /// whole payload; <paramref name="totalLength"/> is then the frame's full size when the header was readable
    /// (so the caller can size its buffer), or 0.
    /// </summary>
    public static bool TryReadFrame(ReadOnlySpan<byte> data, out bool fin, out WsOpcode opcode, out int payloadOffset, out int payloadLength, out int totalLength)
    {
        fin = false;
        opcode = 0;
        payloadOffset = 0;
        payloadLength = 0;
        totalLength = 0;
        if (data.Length < 2)
            return false;
        fin = (data[0] & 0x80) != 0;
        opcode = (WsOpcode)(data[0] & 0x0F);
        var masked = (data[1] & 0x80) != 0;
        long length = data[1] & 0x7F;
        var offset = 2;
        if (length == 126)
        {
            if (data.Length < 4)
                return false;
            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            offset = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10)
                return false;
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            offset = 10;
        }

        if (masked)
            throw new IOException("Server sent a masked frame");
        if (length > 16 * 1024 * 1024)
            throw new IOException($"Server frame too large: {length} bytes");

        payloadOffset = offset;
        payloadLength = (int)length;
        totalLength = offset + payloadLength;
        return data.Length >= totalLength;
    }
}
