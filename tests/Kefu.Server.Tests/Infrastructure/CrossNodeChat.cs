using System.Net;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A visitor on one node and the admin agent on another, in one conversation: the scenario every
/// multi-node test starts from, and the node-kill check they share.
/// </summary>
internal sealed record CrossNodeChat(ProtocolClient Agent, ProtocolClient Visitor, VisitorSession Session, string ConversationId, string AdminToken)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Connects both, starts the conversation and makes sure the agent has it (claiming it if still queued).</summary>
    public static async Task<CrossNodeChat> StartAsync(ServerProcess visitorNode, ServerProcess agentNode)
    {
        ArgumentNullException.ThrowIfNull(visitorNode);
        ArgumentNullException.ThrowIfNull(agentNode);
        var admin = await agentNode.AdminTokenAsync();
        var (agent, _) = await ProtocolClient.HelloAsync(agentNode.WebSocketUri, admin);
        var session = await Api.VisitorAsync(visitorNode.Http);
        var (visitor, _) = await ProtocolClient.HelloAsync(visitorNode.WebSocketUri, session.Token);
        var conversationId = (string)(await visitor.SendTextAsync("hello from the visitor's node"))["conversationId"]!;
        // Routing state is per node: whichever node routed it, the agent ends up assigned.
        using var claim = await agentNode.Http.SendAsync(Api.Authorized(HttpMethod.Post, $"api/v1/conversations/{conversationId}/claim", admin));
        Assert.True(claim.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"claim: {claim.StatusCode}");
        return new CrossNodeChat(agent, visitor, session, conversationId, admin);
    }

    /// <summary>
    /// Messages both ways across the nodes, then the visitor's node is killed hard while the agent keeps
    /// writing; the visitor resumes on the agent's node and must get exactly what it missed, once, in order.
    /// Returns the conversation's last seq.
    /// </summary>
    public async Task<long> ExchangeKillAndResumeAsync(ServerProcess visitorNode, ServerProcess survivor)
    {
        ArgumentNullException.ThrowIfNull(visitorNode);
        ArgumentNullException.ThrowIfNull(survivor);
        var agentView = new ConversationView(Agent);
        for (var i = 0; i < 50; i++)
        {
            await Visitor.SendTextAsync("visitor " + i);
        }
        await agentView.RunUntilAsync(v => v.Count(m => (string?)m["sender"]!["type"] == "visitor") >= 51, Timeout);

        var reply = await Agent.SendTextAsync("answer from the agent's node", ConversationId);
        await Visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)reply["msgId"]);
        var seenByVisitor = (long)reply["seq"]!;

        visitorNode.Kill();
        await Visitor.DisposeAsync();
        var missed = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            missed.Add((string)(await Agent.SendTextAsync("while you were away " + i, ConversationId))["msgId"]!);
        }
        var (resumed, _) = await ProtocolClient.HelloAsync(survivor.WebSocketUri, Session.Token, new[] { new { conversationId = ConversationId, afterSeq = seenByVisitor } });
        await using var resumedClient = resumed;
        var received = new List<(long Seq, string MsgId)>();
        while (received.Count < missed.Count)
        {
            var frame = await resumed.WaitForAsync(f => ProtocolClient.Type(f) == "message");
            received.Add(((long)frame["seq"]!, (string)frame["msgId"]!));
        }
        Assert.Equal(missed, received.Select(r => r.MsgId));
        Assert.Equal(Enumerable.Range((int)seenByVisitor + 1, missed.Count).Select(i => (long)i), received.Select(r => r.Seq));
        return seenByVisitor + missed.Count;
    }
}
