using System.Net;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

public sealed class BotLearningTests
{
    private const string AgentAnswer = "Yes, PayPal and credit cards are both accepted.";

    [Fact]
    public async Task An_unanswered_question_and_the_agents_reply_become_a_suggestion_that_once_approved_answers_the_next_paraphrase_and_the_numbers_count_it()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await BotFlowApi.AddFaqAsync(server, admin, "How long does shipping take?", "Two to four working days.");
        var agent = await RoutingApi.AgentAsync(server, admin, "teacher", 3);

        // The bot does not know; the visitor asks for a person; the agent answers.
        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "Can I pay with PayPal?");
        var conversationId = (string)ack["conversationId"]!;
        await using (visitor)
        {
            var unknown = await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!);
            Assert.Equal("quickReplies", (string?)unknown["kind"]);
            var button = unknown["meta"]!["options"]!.AsArray().Single()!;
            await visitor.SendTextAsync((string)button["value"]!, conversationId);
            Assert.Equal(agent.Id, await RoutingApi.AssigneeEventuallyAsync(server, admin, conversationId));
            await agent.Client!.SendTextAsync(AgentAnswer, conversationId);
        }

        string? suggestionId = null;
        await Eventually.HoldsAsync(async () =>
        {
            var pending = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/suggestions?status=pending", admin)).AsArray();
            suggestionId = (string?)pending.SingleOrDefault(s => (string?)s!["question"] == "Can I pay with PayPal?" && (string?)s!["answer"] == AgentAnswer)?["id"];
            return suggestionId is not null;
        }, "a pending suggestion from the agent's reply");
        await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/bot/suggestions/{suggestionId}/approve", admin, expect: HttpStatusCode.OK);

        // The next visitor's paraphrase is answered by the bot with the agent's words.
        var (next, nextAck) = await BotFlowApi.VisitorAsync(server, "Do you take PayPal?");
        await using (next)
        {
            var answer = await BotFlowApi.BotReplyAsync(next, (long)nextAck["seq"]!);
            Assert.Equal(AgentAnswer, (string?)answer["text"]);
            // Resolved by the bot: closed without a handoff.
            await RoutingApi.SendAsync(server, HttpMethod.Post, $"api/v1/conversations/{nextAck["conversationId"]}/close", admin, expect: HttpStatusCode.NoContent);
        }

        var numbers = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/numbers", admin);
        Assert.Equal(2, (int)numbers["conversations"]!);
        Assert.Equal(1, (int)numbers["handedOff"]!);
        Assert.Equal(1, (int)numbers["resolved"]!);
        Assert.Equal(0.5, (double)numbers["resolutionRate"]!);
        Assert.Equal(0.5, (double)numbers["handoffRate"]!);
        Assert.Equal(1, (int)numbers["unanswered"]!);
        Assert.Equal(1, (int)numbers["answered"]!);
        var past = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/numbers?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", admin);
        Assert.Equal(0, (int)past["conversations"]!);
        Assert.Equal(0.0, (double)past["resolutionRate"]!);
        await agent.Client!.DisposeAsync();
    }
}
