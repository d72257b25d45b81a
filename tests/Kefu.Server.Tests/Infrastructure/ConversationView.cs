using System.Text.Json.Nodes;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// What a correct client builds from the frames it receives: per conversation, messages by seq. Like the
/// SDK it syncs when it sees a gap (for example the history from before an agent was assigned). It checks
/// the protocol's promises as frames arrive: live frames of a conversation come in rising seq order, and a
/// seq seen twice always carries the same message.
/// </summary>
internal sealed class ConversationView(ProtocolClient client)
{
    private readonly Dictionary<string, SortedDictionary<long, JsonObject>> _messages = [];
    private readonly Dictionary<string, long> _lastLive = [];

    public IReadOnlyDictionary<string, SortedDictionary<long, JsonObject>> Messages => _messages;

    public int Count(Func<JsonObject, bool> match) => _messages.Values.Sum(c => c.Values.Count(match));

    /// <summary>Processes frames until <paramref name="done"/> holds.</summary>
    public async Task RunUntilAsync(Func<ConversationView, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(this))
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException("The client view did not complete in time.");
            }
            var frame = await client.WaitForAsync(f => ProtocolClient.Type(f) == "message", left);
            var conversationId = (string)frame["conversationId"]!;
            var seq = (long)frame["seq"]!;
            if (_lastLive.TryGetValue(conversationId, out var last))
            {
                Assert.True(seq > last, $"live frames out of order in {conversationId}: {seq} after {last}");
            }
            _lastLive[conversationId] = seq;
            var known = Add(conversationId, frame);
            if (known.Keys.First() > 1 || known.Keys.Last() - known.Keys.First() + 1 != known.Count)
            {
                await FillGapsAsync(conversationId, seq);
            }
        }
    }

    private SortedDictionary<long, JsonObject> Add(string conversationId, JsonObject message)
    {
        var known = _messages.TryGetValue(conversationId, out var k) ? k : _messages[conversationId] = [];
        var seq = (long)message["seq"]!;
        if (known.TryGetValue(seq, out var earlier))
        {
            Assert.Equal((string?)earlier["msgId"], (string?)message["msgId"]);
        }
        known[seq] = message;
        return known;
    }

    private async Task FillGapsAsync(string conversationId, long upTo)
    {
        var after = 0L;
        while (after < upTo)
        {
            var rid = client.NextRid();
            await client.SendAsync(new { type = "sync", rid, conversationId, afterSeq = after, limit = 200 });
            var page = await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) == "messages");
            var items = page["items"]!.AsArray();
            foreach (var item in items)
            {
                Add(conversationId, item!.AsObject());
                after = (long)item!["seq"]!;
            }
            if (items.Count == 0)
            {
                break;
            }
        }
    }
}
