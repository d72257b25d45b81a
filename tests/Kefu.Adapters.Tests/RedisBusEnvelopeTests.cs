using Kefu.Core.Messaging;
using Kefu.Redis;

namespace Kefu.Adapters.Tests;

/// <summary>The bus envelope keeps every field, absent ones included, and rejects what it cannot read.</summary>
public sealed class RedisBusEnvelopeTests
{
    public static TheoryData<BusEvent> Events => new()
    {
        new BusEvent("t_1", "c_1", 42, new Audience("v_1", "a_1", TenantAgents: true, ExcludeUserId: "v_1", AlsoUserId: "s_1"), "{\"type\":\"message\"}"u8.ToArray()),
        new BusEvent("t_1", null, 0, new Audience(null, null, TenantAgents: false, ExcludeUserId: null), ReadOnlyMemory<byte>.Empty),
        new BusEvent("租户", "会话", long.MaxValue, new Audience("访客", null, TenantAgents: false, ExcludeUserId: null, AlsoUserId: "客服"), new byte[70_000]),
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void An_event_survives_the_round_trip(BusEvent sent)
    {
        Assert.True(BusEnvelope.TryDecode(BusEnvelope.Encode(sent), out var got, out _));

        Assert.NotNull(got);
        Assert.Equal((sent.TenantId, sent.ConversationId, sent.Seq, sent.Audience), (got.TenantId, got.ConversationId, got.Seq, got.Audience));
        Assert.Equal(sent.Frame.ToArray(), got.Frame.ToArray());
    }

    [Fact]
    public void An_event_names_its_origin_so_only_other_nodes_see_it_as_theirs()
    {
        var sent = new BusEvent("t_1", "c_1", 0, new Audience("v_1", null, TenantAgents: true, ExcludeUserId: null), "{}"u8.ToArray());
        var origin = Guid.NewGuid();
        var encoded = BusEnvelope.Encode(sent, origin);

        Assert.True(BusEnvelope.TryDecode(encoded, out var atOrigin, out _, origin));
        Assert.True(BusEnvelope.TryDecode(encoded, out var elsewhere, out _, Guid.NewGuid()));
        Assert.True(BusEnvelope.TryDecode(BusEnvelope.Encode(sent), out var unnamed, out _, origin));

        Assert.False(atOrigin!.FromOtherNode);
        Assert.True(elsewhere!.FromOtherNode);
        Assert.False(unnamed!.FromOtherNode);
        Assert.Equal(sent.Frame.ToArray(), elsewhere.Frame.ToArray());
        for (var length = 3; length < encoded.Length; length++)
        {
            Assert.False(BusEnvelope.TryDecode(encoded.AsMemory(0, length), out _, out _, origin), $"accepted {length} of {encoded.Length} bytes");
        }
    }

    [Fact]
    public void A_probe_survives_the_round_trip()
    {
        var busId = Guid.NewGuid();

        Assert.True(BusEnvelope.TryDecode(BusEnvelope.EncodeProbe(busId, 7), out var busEvent, out var probe));

        Assert.Null(busEvent);
        Assert.Equal((busId, 7L), probe);
    }

    [Fact]
    public void A_truncated_or_foreign_message_is_rejected()
    {
        var encoded = BusEnvelope.Encode(new BusEvent("t_1", "c_1", 1, new Audience("v", "a", TenantAgents: false, ExcludeUserId: null), new byte[10]));

        for (var length = 0; length < encoded.Length; length++)
        {
            Assert.False(BusEnvelope.TryDecode(encoded.AsMemory(0, length), out _, out _), $"accepted {length} of {encoded.Length} bytes");
        }
        Assert.False(BusEnvelope.TryDecode("{\"json\":1}"u8.ToArray(), out _, out _));
    }
}
