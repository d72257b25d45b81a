using System.Buffers.Binary;
using System.Text;
using Kefu.Core.Messaging;

namespace Kefu.Redis;

/// <summary>
/// The wire form of a bus message: a version byte, a kind byte, then for an event a flags byte (which
/// optional fields follow), the seq as a varint, length-prefixed UTF-8 ids and the frame's bytes; for a probe
/// the sending bus's id and a nonce. An event also names the bus that published it, so a node tells its own
/// events from other nodes'. One exact-size array per event: no JSON, no copy of the frame on decode.
/// </summary>
internal static class BusEnvelope
{
    private const byte Version = 1;
    private const byte EventKind = 1;
    private const byte ProbeKind = 2;

    [Flags]
    private enum Fields : byte
    {
        None = 0,
        Conversation = 1,
        Visitor = 2,
        Assignee = 4,
        TenantAgents = 8,
        Exclude = 16,
        Also = 32,
        Origin = 64,
    }

    public static byte[] Encode(BusEvent busEvent, Guid? origin = null)
    {
        var audience = busEvent.Audience;
        var fields = (busEvent.ConversationId is null ? Fields.None : Fields.Conversation)
            | (audience.VisitorId is null ? Fields.None : Fields.Visitor)
            | (audience.AssigneeId is null ? Fields.None : Fields.Assignee)
            | (audience.TenantAgents ? Fields.TenantAgents : Fields.None)
            | (audience.ExcludeUserId is null ? Fields.None : Fields.Exclude)
            | (audience.AlsoUserId is null ? Fields.None : Fields.Also)
            | (origin is null ? Fields.None : Fields.Origin);
        var size = 3 + (origin is null ? 0 : 16) + VarintSize((ulong)busEvent.Seq) + StringSize(busEvent.TenantId) + StringSize(busEvent.ConversationId)
            + StringSize(audience.VisitorId) + StringSize(audience.AssigneeId) + StringSize(audience.ExcludeUserId)
            + StringSize(audience.AlsoUserId) + VarintSize((ulong)busEvent.Frame.Length) + busEvent.Frame.Length;
        var buffer = new byte[size];
        var span = buffer.AsSpan();
        span[0] = Version;
        span[1] = EventKind;
        span[2] = (byte)fields;
        var at = 3;
        if (origin is { } id)
        {
            id.TryWriteBytes(span.Slice(at, 16));
            at += 16;
        }
        at += WriteVarint(span[at..], (ulong)busEvent.Seq);
        at += WriteString(span[at..], busEvent.TenantId);
        at += WriteString(span[at..], busEvent.ConversationId);
        at += WriteString(span[at..], audience.VisitorId);
        at += WriteString(span[at..], audience.AssigneeId);
        at += WriteString(span[at..], audience.ExcludeUserId);
        at += WriteString(span[at..], audience.AlsoUserId);
        at += WriteVarint(span[at..], (ulong)busEvent.Frame.Length);
        busEvent.Frame.Span.CopyTo(span[at..]);
        return buffer;
    }

    public static byte[] EncodeProbe(Guid busId, long nonce)
    {
        var buffer = new byte[2 + 16 + 8];
        buffer[0] = Version;
        buffer[1] = ProbeKind;
        busId.TryWriteBytes(buffer.AsSpan(2, 16));
        BinaryPrimitives.WriteInt64LittleEndian(buffer.AsSpan(18), nonce);
        return buffer;
    }

    /// <summary>
    /// Reads a message; false when it is malformed or of a version this node does not know. An event that names
    /// an origin other than <paramref name="self"/> is marked <see cref="BusEvent.FromOtherNode"/>.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> message, out BusEvent? busEvent, out (Guid BusId, long Nonce) probe, Guid? self = null)
    {
        busEvent = null;
        probe = default;
        var span = message.Span;
        if (span.Length < 2 || span[0] != Version)
        {
            return false;
        }
        if (span[1] == ProbeKind)
        {
            if (span.Length != 26)
            {
                return false;
            }
            probe = (new Guid(span.Slice(2, 16)), BinaryPrimitives.ReadInt64LittleEndian(span[18..]));
            return true;
        }
        return span[1] == EventKind && TryDecodeEvent(message, self, out busEvent);
    }

    private static bool TryDecodeEvent(ReadOnlyMemory<byte> message, Guid? self, out BusEvent? busEvent)
    {
        busEvent = null;
        var span = message.Span;
        if (span.Length < 3)
        {
            return false;
        }
        var fields = (Fields)span[2];
        var at = 3;
        Guid? origin = null;
        if (fields.HasFlag(Fields.Origin))
        {
            if (span.Length < at + 16)
            {
                return false;
            }
            origin = new Guid(span.Slice(at, 16));
            at += 16;
        }
        if (!TryReadVarint(span, ref at, out var seq)
            || !TryReadString(span, ref at, present: true, out var tenantId)
            || !TryReadString(span, ref at, fields.HasFlag(Fields.Conversation), out var conversationId)
            || !TryReadString(span, ref at, fields.HasFlag(Fields.Visitor), out var visitorId)
            || !TryReadString(span, ref at, fields.HasFlag(Fields.Assignee), out var assigneeId)
            || !TryReadString(span, ref at, fields.HasFlag(Fields.Exclude), out var excludeId)
            || !TryReadString(span, ref at, fields.HasFlag(Fields.Also), out var alsoId)
            || !TryReadVarint(span, ref at, out var frameLength)
            || (ulong)(span.Length - at) != frameLength)
        {
            return false;
        }
        var audience = new Audience(visitorId, assigneeId, fields.HasFlag(Fields.TenantAgents), excludeId, alsoId);
        busEvent = new BusEvent(tenantId!, conversationId, (long)seq, audience, message[at..]) { FromOtherNode = origin is { } o && o != self };
        return true;
    }

    private static int StringSize(string? value)
    {
        if (value is null)
        {
            return 0;
        }
        var bytes = Encoding.UTF8.GetByteCount(value);
        return VarintSize((ulong)bytes) + bytes;
    }

    private static int WriteString(Span<byte> destination, string? value)
    {
        if (value is null)
        {
            return 0;
        }
        var bytes = Encoding.UTF8.GetByteCount(value);
        var prefix = WriteVarint(destination, (ulong)bytes);
        Encoding.UTF8.GetBytes(value, destination[prefix..]);
        return prefix + bytes;
    }

    private static bool TryReadString(ReadOnlySpan<byte> span, ref int at, bool present, out string? value)
    {
        value = null;
        if (!present)
        {
            return true;
        }
        if (!TryReadVarint(span, ref at, out var length) || length > (ulong)(span.Length - at))
        {
            return false;
        }
        value = Encoding.UTF8.GetString(span.Slice(at, (int)length));
        at += (int)length;
        return true;
    }

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[at++] = (byte)value;
        return at;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> span, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < span.Length; shift += 7)
        {
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }
        return false;
    }
}
