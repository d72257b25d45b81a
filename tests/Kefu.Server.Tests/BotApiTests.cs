using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

public sealed class BotApiTests
{
    private static async Task<JsonNode> SendAsync(ServerProcess server, HttpMethod method, string path, string token, object? body, HttpStatusCode expected)
    {
        using var response = await server.Http.SendAsync(Api.Authorized(method, path, token, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task An_admin_adds_an_faq_entry_and_the_very_next_question_is_answered_from_it()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();

        var before = await SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "怎么申请退款？", siteKey = "default" }, HttpStatusCode.OK);
        Assert.Null((string?)before["faqId"]);

        var created = await SendAsync(server, HttpMethod.Post, "api/v1/bot/faq", admin,
            new { question = "如何申请退款？", alternates = new[] { "我想退货退钱" }, answer = "在订单页点击“申请退款”，三个工作日内原路退回。", category = "售后" }, HttpStatusCode.Created);
        var id = (string)created["id"]!;

        var after = await SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "怎么申请退款？", siteKey = "default" }, HttpStatusCode.OK);
        Assert.Equal(id, (string?)after["faqId"]);
        Assert.Equal("answer", (string?)after["band"]);
        Assert.Contains("原路退回", (string?)after["answer"], StringComparison.Ordinal);

        await SendAsync(server, HttpMethod.Put, $"api/v1/bot/faq/{id}", admin,
            new { question = "如何申请退款？", answer = "请联系客服办理退款。" }, HttpStatusCode.OK);
        var changed = await SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "如何申请退款", siteKey = "default" }, HttpStatusCode.OK);
        Assert.Equal("请联系客服办理退款。", (string?)changed["answer"]);

        await SendAsync(server, HttpMethod.Delete, $"api/v1/bot/faq/{id}", admin, null, HttpStatusCode.NoContent);
        var gone = await SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "如何申请退款", siteKey = "default" }, HttpStatusCode.OK);
        Assert.Null((string?)gone["faqId"]);
    }

    [Fact]
    public async Task Entries_survive_a_restart_and_import_and_export_round_trip()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var json = """[{"id":"faq-ship","siteId":"x","question":"How long does shipping take?","alternates":["when will my parcel arrive"],"answer":"Two to four days.","category":"shipping"}]""";
        using (var import = Api.Authorized(HttpMethod.Post, "api/v1/bot/faq/import?format=json", admin))
        {
            import.Content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await server.Http.SendAsync(import);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        server.Kill();
        await server.StartAgainAsync();
        admin = await server.AdminTokenAsync();
        var answer = await SendAsync(server, HttpMethod.Post, "api/v1/bot/ask", admin, new { text = "How long does shipping take?" }, HttpStatusCode.OK);
        Assert.Equal("faq-ship", (string?)answer["faqId"]);

        using var export = await server.Http.SendAsync(Api.Authorized(HttpMethod.Get, "api/v1/bot/faq/export?format=csv", admin));
        var csv = await export.Content.ReadAsStringAsync();
        Assert.Contains("Two to four days.", csv, StringComparison.Ordinal);
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Only_admins_of_the_tenant_manage_the_bot()
    {
        await using var server = await ServerProcess.StartAsync();
        var admin = await server.AdminTokenAsync();
        var created = await SendAsync(server, HttpMethod.Post, "api/v1/bot/faq", admin, new { question = "Opening hours?", answer = "9 to 6." }, HttpStatusCode.Created);

        Db.Execute(server.DatabasePath, "INSERT INTO agents (id, tenant_id, username, display_name, password_hash, is_admin, max_concurrent, disabled, token_version, must_change_password, created_at) SELECT 'a_plain', tenant_id, 'plain', 'Plain', password_hash, 0, 5, 0, 0, 0, 0 FROM agents WHERE username = 'admin'");
        var plain = (await Api.LoginAsync(server.Http, "plain", ServerProcess.AdminPassword)).Token;
        await SendAsync(server, HttpMethod.Post, "api/v1/bot/faq", plain, new { question = "q", answer = "a" }, HttpStatusCode.Forbidden);

        SecondTenant.Create(server.DatabasePath);
        var other = (await Api.LoginAsync(server.Http, SecondTenant.Username, SecondTenant.Password)).Token;
        await SendAsync(server, HttpMethod.Delete, $"api/v1/bot/faq/{(string)created["id"]!}", other, null, HttpStatusCode.NotFound);
        var list = await SendAsync(server, HttpMethod.Get, "api/v1/bot/faq?siteKey=" + SecondTenant.SiteKey, other, null, HttpStatusCode.OK);
        Assert.Empty(list.AsArray());
        await SendAsync(server, HttpMethod.Get, "api/v1/bot/faq?siteKey=default", other, null, HttpStatusCode.NotFound);
    }
}
