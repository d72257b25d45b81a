using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Tests.Routing;

namespace Kefu.Server.Tests;

/// <summary>
/// The welcome in the visitor's language: the page's <c>context.locale</c>, else the browser's <c>Accept-Language</c>,
/// else Chinese; a language the site has no text for gets the welcome for other languages.
/// </summary>
public sealed class BotWelcomeLanguageTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task Each_visitor_is_welcomed_in_its_language_with_the_fallback_for_the_others()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var saved = await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin, new
        {
            mode = "botFirst",
            welcome = "Welcome! 欢迎！",
            welcomes = new Dictionary<string, string> { ["zh-CN"] = "您好，有什么可以帮您？", ["en"] = "Hello, how can I help?" },
        });
        Assert.Equal("Hello, how can I help?", (string?)saved["welcomes"]!["en"]);
        var read = await RoutingApi.SendAsync(server, HttpMethod.Get, "api/v1/bot/settings", admin);
        Assert.Equal("您好，有什么可以帮您？", (string?)read["welcomes"]!["zh-CN"]);
        Assert.Equal("Welcome! 欢迎！", (string?)read["welcome"]);

        Assert.Equal("Hello, how can I help?", await WelcomeAsync(server, new { locale = "en-GB" }, null));
        Assert.Equal("您好，有什么可以帮您？", await WelcomeAsync(server, new { locale = "zh-TW" }, null));
        Assert.Equal("Hello, how can I help?", await WelcomeAsync(server, null, "en-US,en;q=0.9,zh;q=0.5"));
        // The page's locale wins over the browser's.
        Assert.Equal("您好，有什么可以帮您？", await WelcomeAsync(server, new { locale = "zh-CN" }, "en-US"));
        Assert.Equal("Welcome! 欢迎！", await WelcomeAsync(server, new { locale = "fr-FR" }, null));
        Assert.Equal("您好，有什么可以帮您？", await WelcomeAsync(server, null, null));
    }

    [Fact]
    public async Task Welcomes_are_checked_and_an_empty_text_means_none_in_that_language()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin,
            new { mode = "botFirst", welcomes = new Dictionary<string, string> { ["not a tag"] = "x" } }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin,
            new { mode = "botFirst", welcomes = new Dictionary<string, string> { ["en"] = new string('x', 1001) } }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin,
            new { mode = "botFirst", welcomes = new Dictionary<string, string> { ["en"] = "a", ["EN"] = "b" } }, HttpStatusCode.BadRequest);
        await RoutingApi.SendAsync(server, HttpMethod.Put, "api/v1/bot/settings", admin,
            new { mode = "botFirst", welcomes = new Dictionary<string, string> { ["en"] = "", ["zh-CN"] = "欢迎" } });

        // No English welcome: the visitor's question is the conversation's first message, then the bot's answer.
        var session = await VisitorSessionAsync(server, new { locale = "en-US" }, null);
        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        await using var __ = visitor;
        var ack = await visitor.SendTextAsync("hello there");
        Assert.Equal(1L, (long)ack["seq"]!);
        Assert.Equal("欢迎", await WelcomeAsync(server, new { locale = "zh" }, null));
    }

    /// <summary>A new visitor's first message starts a conversation; the welcome is its seq 1.</summary>
    private static async Task<string?> WelcomeAsync(ServerProcess server, object? context, string? acceptLanguage)
    {
        var session = await VisitorSessionAsync(server, context, acceptLanguage);
        var (visitor, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, session.Token);
        await using var _ = visitor;
        var ack = await visitor.SendTextAsync("hi");
        Assert.Equal(2L, (long)ack["seq"]!);
        var history = await BotFlowApi.HistoryAsync(visitor, (string)ack["conversationId"]!);
        return (string?)history.Single(m => (long)m["seq"]! == 1)["text"];
    }

    private static async Task<VisitorSession> VisitorSessionAsync(ServerProcess server, object? context, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/visitor/sessions")
        {
            Content = JsonContent.Create(context is null ? (object)new { siteKey = "default" } : new { siteKey = "default", context }),
        };
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }
        using var response = await server.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return System.Text.Json.JsonSerializer.Deserialize<VisitorSession>(text, Json)!;
    }
}
