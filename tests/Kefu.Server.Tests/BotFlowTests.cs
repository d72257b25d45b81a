using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

public sealed class BotFlowTests
{
    private const string RefundAnswer = "在订单页点击“申请退款”，三个工作日内原路退回。";

    [Fact]
    public async Task A_bot_first_site_answers_from_the_faq_as_the_bot_then_hands_over_on_request_and_the_agent_sees_the_bot_part()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await BotFlowApi.AddFaqAsync(server, admin, "如何申请退款？", RefundAnswer, "我想退货退钱");
        var agent = await RoutingApi.AgentAsync(server, admin, "bot-agent", 3);

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "怎么申请退款？");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        // The welcome came first, in the same commit as the conversation; the visitor's question is after it.
        Assert.Equal(2L, (long)ack["seq"]!);
        var welcome = await visitor.WaitForAsync(f => BotFlowApi.IsBotMessage(f) && (long)f["seq"]! == 1);
        Assert.Contains("转人工", (string?)welcome["text"], StringComparison.Ordinal);
        Assert.True(BotFlowApi.IsStatus(await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "conversation"), "bot"));

        var answer = await BotFlowApi.BotReplyAsync(visitor, 2);
        Assert.Equal("text", (string?)answer["kind"]);
        Assert.Equal(RefundAnswer, (string?)answer["text"]);
        Assert.Equal("bot", (string?)answer["sender"]!["id"]);
        // Not in the routing queue while the bot serves: nobody was assigned although an agent is free.
        Assert.Equal("bot", (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["status"]);

        await visitor.SendTextAsync("转人工", conversationId);
        var handoff = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["meta"]?["event"] == "handoff");
        Assert.Equal("request", (string?)handoff["meta"]!["reason"]);
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
        await visitor.WaitForAsync(f => BotFlowApi.IsStatus(f, "open"));

        // The same conversation: the agent reads the bot's part of the transcript.
        var rid = agent.Client!.NextRid();
        await agent.Client.SendAsync(new { type = "sync", rid, conversationId, afterSeq = 0 });
        var items = (await agent.Client.WaitForAsync(f => (string?)f["rid"] == rid))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Contains(items, i => (string?)i["sender"]!["type"] == "visitor" && (string?)i["text"] == "怎么申请退款？");
        Assert.Contains(items, i => (string?)i["sender"]!["type"] == "bot" && (string?)i["text"] == RefundAnswer);
        Assert.Equal(items.Select(i => (long)i["seq"]!).Order(), items.Select(i => (long)i["seq"]!));
        await agent.Client.DisposeAsync();
    }

    [Fact]
    public async Task A_fresh_site_routes_straight_to_humans_with_no_bot_message()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var settings = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/settings", admin);
        Assert.Equal("auto", (string?)settings["mode"]);
        Assert.Equal("humanFirst", (string?)settings["effectiveMode"]);

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "hello");
        await using var _ = visitor;
        await visitor.WaitForAsync(f => BotFlowApi.IsStatus(f, "queued"));
        var agent = await RoutingApi.AgentAsync(server, admin, "first-agent", 3);
        await RoutingApi.AssigneeEventuallyAsync(server, admin, (string)ack["conversationId"]!);
        var history = await BotFlowApi.HistoryAsync(visitor, (string)ack["conversationId"]!);
        Assert.DoesNotContain(history, m => (string?)m["sender"]!["type"] == "bot");
        Assert.Contains(history, m => (string?)m["text"] == "hello");
        await agent.Client!.DisposeAsync();
    }

    [Fact]
    public async Task A_hanging_model_blocks_neither_the_ack_nor_other_conversations_nor_the_handoff()
    {
        await using var llm = await BotFakeLlm.StartAsync();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Bot__Llm__BaseUrl"] = llm.BaseUrl,
            ["Kefu__Bot__Llm__Model"] = "hanging-model",
            ["Kefu__Bot__Llm__TimeoutSeconds"] = "60",
        });
        var admin = await server.AdminTokenAsync();
        await BotFlowApi.AddFaqAsync(server, admin, "How long does shipping take?", "Two to four working days.", "when will my parcel arrive");

        // Close enough to the FAQ to ground the model, not close enough to answer: the model gets it and hangs.
        var (stuck, stuckAck) = await BotFlowApi.VisitorAsync(server, "What does shipping to Canada cost?");
        await using var _ = stuck;
        var stuckConversation = (string)stuckAck["conversationId"]!;
        await llm.FirstRequest.Task.WaitAsync(TimeSpan.FromSeconds(15));

        // Another conversation is answered meanwhile.
        var (other, _) = await BotFlowApi.VisitorAsync(server, "How long does shipping take?");
        await using var __ = other;
        Assert.Equal("Two to four working days.", (string?)(await BotFlowApi.BotReplyAsync(other, 2))["text"]);

        // The stuck visitor's next send is acked, and asking for a human hands over at once.
        var ack = await stuck.SendTextAsync("talk to a human", stuckConversation);
        var handoff = await stuck.WaitForAsync(f => (string?)f["meta"]?["event"] == "handoff");
        Assert.True((long)handoff["seq"]! > (long)ack["seq"]!);
        await stuck.WaitForAsync(f => BotFlowApi.IsStatus(f, "queued"));
        // The hanging turn has produced nothing: the only bot messages are the welcome and the handoff reply.
        var botTexts = new List<string?>();
        stuck.HasQueued(f =>
        {
            if (BotFlowApi.IsBotMessage(f))
            {
                botTexts.Add((string?)f["text"]);
            }
            return false;
        });
        Assert.DoesNotContain(botTexts, t => t is not null && t.Contains("Did you mean", StringComparison.Ordinal));
        Assert.Equal(1, llm.Requests);

        var agent = await RoutingApi.AgentAsync(server, admin, "rescuer", 3);
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, stuckConversation));
        await agent.Client!.DisposeAsync();
    }

    [Fact]
    public async Task When_the_model_times_out_the_visitor_gets_the_faq_suggestions_and_the_handoff_still_works()
    {
        await using var llm = await BotFakeLlm.StartAsync();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Bot__Llm__BaseUrl"] = llm.BaseUrl,
            ["Kefu__Bot__Llm__Model"] = "hanging-model",
            ["Kefu__Bot__Llm__TimeoutSeconds"] = "2",
        });
        var admin = await server.AdminTokenAsync();
        await BotFlowApi.AddFaqAsync(server, admin, "How long does shipping take?", "Two to four working days.", "when will my parcel arrive");

        Assert.Equal("suggest", (string?)(await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "how long does it take" }))["band"]);

        // A plausible FAQ match goes on to the model, which never answers (or, on a busy machine, is not reached within
        // its timeout): after the timeout the match is offered.
        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "how long does it take");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        var suggested = await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!, TimeSpan.FromSeconds(15));
        Assert.Equal("quickReplies", (string?)suggested["kind"]);
        Assert.Contains(suggested["meta"]!["options"]!.AsArray(), o => (string?)o!["value"] == "How long does shipping take?");

        // Nothing plausible: after the timeout, "I don't know" with the button to a person.
        var unknown = await visitor.SendTextAsync("What does shipping to Canada cost?", conversationId);
        var offer = await BotFlowApi.BotReplyAsync(visitor, (long)unknown["seq"]!, TimeSpan.FromSeconds(15));
        Assert.Equal("handoff", (string?)offer["meta"]!["options"]![0]!["payload"]);

        await visitor.SendTextAsync("talk to a human", conversationId);
        await visitor.WaitForAsync(f => BotFlowApi.IsStatus(f, "queued"));
    }

    [Fact]
    public async Task In_bot_when_no_agent_mode_the_bot_serves_until_an_agent_comes_online_and_then_hands_over()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "botWhenNoAgent", welcome = "Bot here until a colleague arrives." });
        var agent = await RoutingApi.AgentAsync(server, admin, "late-agent", 3, connect: false);

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "anyone there?");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        Assert.Equal("Bot here until a colleague arrives.", (string?)(await visitor.WaitForAsync(f => BotFlowApi.IsBotMessage(f) && (long)f["seq"]! == 1))["text"]);
        await BotFlowApi.BotReplyAsync(visitor, 2);
        Assert.Equal("bot", (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["status"]);

        var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, agent.Token);
        await using var ___ = client;
        var handoff = await visitor.WaitForAsync(f => (string?)f["meta"]?["event"] == "handoff");
        Assert.Equal("agentAvailable", (string?)handoff["meta"]!["reason"]);
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));

        // With the agent online, a new visitor goes straight to the queue (and on to the agent), without the bot.
        var (next, nextAck) = await BotFlowApi.VisitorAsync(server, "hi again");
        await using var ____ = next;
        Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, (string)nextAck["conversationId"]!));
        Assert.DoesNotContain(await BotFlowApi.HistoryAsync(next, (string)nextAck["conversationId"]!), m => (string?)m["sender"]!["type"] == "bot");
    }

    [Fact]
    public async Task The_leave_a_message_form_takes_a_bot_conversation_to_the_queue_without_a_bot_answer()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "botFirst", welcome = "" });

        var session = await Api.VisitorAsync(server.Http);
        var left = await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/visitor/messages", session.Token,
            new { name = "Li Lei", contact = "lilei@example.com", message = "Please call me back." }, System.Net.HttpStatusCode.Created);
        var leftId = (string)left["conversationId"]!;
        Assert.Equal(1L, (long)left["seq"]!);
        await Eventually.HoldsAsync(async () => (string?)(await RoutingApi.ConversationAsync(server, admin, leftId))["status"] == "queued", "the left message queued");

        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        await using var __ = visitor;
        var rid = visitor.NextRid();
        await visitor.SendAsync(new { type = "sync", rid, conversationId = leftId, afterSeq = 0 });
        var items = (await visitor.WaitForAsync(f => (string?)f["rid"] == rid))["items"]!.AsArray();
        Assert.DoesNotContain(items, i => (string?)i!["sender"]!["type"] == "bot");
        Assert.Equal("leaveMessage", (string?)items.Single(i => (string?)i!["meta"]?["event"] == "handoff")!["meta"]!["reason"]);
    }
}
