using System.Net;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

public sealed class BotRulesApiTests
{
    [Fact]
    public async Task A_created_changed_or_deleted_rule_answers_from_the_very_next_message()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var created = await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/rules", admin, new
        {
            match = "keyword",
            patterns = new[] { "发票" },
            priority = 5,
            reply = new { kind = "text", text = "发票可在订单详情页下载。" },
        }, HttpStatusCode.Created);
        var id = (string)created["id"]!;

        // A rule makes the site bot first (auto mode).
        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "怎么开发票");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        Assert.Equal("发票可在订单详情页下载。", (string?)(await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!))["text"]);

        await RoutingApi.SendAsync(server, HttpMethod.Put, $"api/v1/bot/rules/{id}", admin, new
        {
            match = "phrase",
            patterns = new[] { "开发票" },
            reply = new { kind = "quickReplies", text = "请选择发票类型：", options = new[] { new { label = "个人", value = "个人发票" }, new { label = "公司", value = "公司发票" } } },
        }, HttpStatusCode.OK);
        var changed = await visitor.SendTextAsync("我要开发票", conversationId);
        var options = await BotFlowApi.BotReplyAsync(visitor, (long)changed["seq"]!);
        Assert.Equal("quickReplies", (string?)options["kind"]);
        Assert.Equal(["个人发票", "公司发票"], options["meta"]!["options"]!.AsArray().Select(o => (string?)o!["value"]));

        var card = await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/rules", admin, new
        {
            match = "regex",
            patterns = new[] { @"订单\s*\d{6,}" },
            priority = 10,
            reply = new { kind = "card", card = new { title = "订单查询", url = "https://example.com/orders" } },
        }, HttpStatusCode.Created);
        var order = await visitor.SendTextAsync("订单 1234567 到哪了", conversationId);
        var cardReply = await BotFlowApi.BotReplyAsync(visitor, (long)order["seq"]!);
        Assert.Equal("card", (string?)cardReply["kind"]);
        Assert.Equal("https://example.com/orders", (string?)cardReply["meta"]!["url"]);

        var list = (await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/rules", admin)).AsArray();
        Assert.Equal([(string)card["id"]!, id], list.Select(r => (string?)r!["id"]));

        await RoutingApi.SendAsync(server, HttpMethod.Delete, $"api/v1/bot/rules/{id}", admin, expect: HttpStatusCode.NoContent);
        var gone = await visitor.SendTextAsync("我要开发票", conversationId);
        var unknown = await BotFlowApi.BotReplyAsync(visitor, (long)gone["seq"]!);
        Assert.NotEqual("请选择发票类型：", (string?)unknown["text"]);

        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/rules", admin,
            new { match = "regex", patterns = new[] { "(unclosed" }, reply = new { text = "x" } }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/rules", admin,
            new { match = "keyword", patterns = Array.Empty<string>(), reply = new { text = "x" } }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Post, "api/v1/bot/rules", admin,
            new { match = "keyword", patterns = new[] { "x" }, reply = new { kind = "card", card = new { title = "t", url = "javascript:alert(1)" } } }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Delete, "api/v1/bot/rules/nope", admin, expect: HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Site_settings_set_the_mode_the_welcome_and_how_many_failures_hand_over()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var saved = await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin,
            new { mode = "botFirst", welcome = "Welcome to Acme!", failuresBeforeHandoff = 2, botName = "Acme Bot" });
        Assert.Equal("botFirst", (string?)saved["effectiveMode"]);

        var (visitor, ack) = await BotFlowApi.VisitorAsync(server, "What is the meaning of life?");
        await using var _ = visitor;
        var conversationId = (string)ack["conversationId"]!;
        var welcome = await visitor.WaitForAsync(f => BotFlowApi.IsBotMessage(f) && (long)f["seq"]! == 1);
        Assert.Equal("Welcome to Acme!", (string?)welcome["text"]);
        Assert.Equal("Acme Bot", (string?)welcome["sender"]!["name"]);
        await BotFlowApi.BotReplyAsync(visitor, (long)ack["seq"]!);
        Assert.Equal("bot", (string?)(await RoutingApi.ConversationAsync(server, admin, conversationId))["status"]);

        // The second failure in a row hands over.
        await visitor.SendTextAsync("And the colour of the wind?", conversationId);
        var handoff = await visitor.WaitForAsync(f => (string?)f["meta"]?["event"] == "handoff");
        Assert.Equal("failures", (string?)handoff["meta"]!["reason"]);
        await visitor.WaitForAsync(f => BotFlowApi.IsStatus(f, "queued"));

        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "humanFirst" });
        var (human, humanAck) = await BotFlowApi.VisitorAsync(server, "hello");
        await using var __ = human;
        await human.WaitForAsync(f => BotFlowApi.IsStatus(f, "queued"));
        Assert.DoesNotContain(await BotFlowApi.HistoryAsync(human, (string)humanAck["conversationId"]!), m => (string?)m["sender"]!["type"] == "bot");

        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { mode = "robotOnly" }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new { failuresBeforeHandoff = 0 }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/settings?siteKey=nope", admin, expect: HttpStatusCode.NotFound);
    }
}
