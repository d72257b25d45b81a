using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>Per-site limits, quota and allow-list from configuration, and CORS for browsers on other origins.</summary>
[Collection(UploadLimitsServerGroup.Name)]
public sealed class UploadLimitsTests(UploadLimitsServer fixture)
{
    private ServerProcess Server => fixture.Server;

    private HttpClient Http => Server.Http;

    [Fact]
    public async Task A_sites_quota_counts_partial_uploads_and_refuses_with_413_and_a_clear_message()
    {
        var visitor = await Api.VisitorAsync(Http, new { siteKey = UploadLimitsServer.QuotaSiteKey });

        var first = await TusClient.CreateAsync(Http, visitor.Token, 3000);
        await AssertRefusedAsync(await TusClient.CreateRawAsync(Http, visitor.Token, 2500), "quota of 5000 bytes");
        await AssertRefusedAsync(await TusClient.CreateRawAsync(Http, visitor.Token, 4001), "limited to 4000 bytes");
        await TusClient.CreateAsync(Http, visitor.Token, 2000);
        await AssertRefusedAsync(await TusClient.CreateRawAsync(Http, visitor.Token, 1), "quota");

        // Removing an upload gives its bytes back; agents' uploads belong to no site and count against no quota.
        using (var delete = await Http.SendAsync(TusClient.Request(HttpMethod.Delete, first, visitor.Token)))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }
        await TusClient.CreateAsync(Http, visitor.Token, 2500);
        await TusClient.CreateAsync(Http, await Server.AdminTokenAsync(), 9000);
    }

    [Fact]
    public async Task Uploads_created_at_the_same_moment_never_go_past_the_quota_together()
    {
        // 24 creations of 1000 bytes at once against a 10 000-byte quota: exactly 10 get their bytes reserved.
        var visitors = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Api.VisitorAsync(Http, new { siteKey = UploadLimitsServer.BurstSiteKey })));
        using var start = new ManualResetEventSlim();
        var creations = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            start.Wait();
            using var response = await TusClient.CreateRawAsync(Http, visitors[i % visitors.Length].Token, 1000);
            return response.StatusCode;
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(creations);

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.Created));
        Assert.Equal(14, statuses.Count(s => s == HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(UploadLimitsServer.BurstQuotaBytes, Db.Scalar(Server.DatabasePath, "SELECT SUM(length) FROM uploads WHERE site_id = 's_burst'"));
    }

    [Fact]
    public async Task A_type_the_site_does_not_accept_is_removed_on_its_last_byte_with_415()
    {
        var visitor = await Api.VisitorAsync(Http);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.7 invoice");
        var path = await TusClient.CreateAsync(Http, visitor.Token, pdf.Length, "invoice.png", "image/png");

        using var patch = await TusClient.PatchRawAsync(Http, visitor.Token, path, 0, pdf);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, patch.StatusCode);
        var problem = await patch.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("application/pdf", (string?)problem!["title"], StringComparison.Ordinal);
        using var head = await TusClient.HeadRawAsync(Http, visitor.Token, path);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);

        // Accepted types complete as usual.
        await TusClient.UploadAsync(Http, visitor.Token, AttachmentImages.Png(10, 10), "dot.png");
        await TusClient.UploadAsync(Http, visitor.Token, Encoding.ASCII.GetBytes("OggS").Concat(new byte[100]).ToArray(), "hello.ogg");
    }

    [Fact]
    public async Task An_image_over_the_sites_image_limit_is_refused_as_image_and_accepted_as_file()
    {
        var visitor = await Api.VisitorAsync(Http);
        var png = AttachmentImages.NoisePng(60, 60);
        Assert.InRange(png.Length, UploadLimitsServer.MaxImageBytes + 1, UploadLimitsServer.MaxBytes);
        var id = (await TusClient.UploadAsync(Http, visitor.Token, png, "noise.png")).Split('/')[^1];
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        await using var _ = client;

        var asImage = await SendAsync(client, "image", id);
        Assert.Equal("too_large", (string?)asImage["code"]);
        Assert.Contains($"{UploadLimitsServer.MaxImageBytes} bytes", (string?)asImage["message"], StringComparison.Ordinal);
        Assert.Equal("ack", ProtocolClient.Type(await SendAsync(client, "file", id)));
    }

    [Fact]
    public async Task Tus_answers_carry_cors_headers_for_the_sites_allowed_origins_only()
    {
        using (var preflight = new HttpRequestMessage(HttpMethod.Options, TusClient.Path + "/up_any"))
        {
            preflight.Headers.Add("Origin", "https://anywhere.example");
            preflight.Headers.Add("Access-Control-Request-Method", "PATCH");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization, tus-resumable, upload-offset, content-type");
            using var response = await Http.SendAsync(preflight);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal("https://anywhere.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
            Assert.Contains("PATCH", response.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
            var allowed = response.Headers.GetValues("Access-Control-Allow-Headers").Single();
            foreach (var header in new[] { "Authorization", "Tus-Resumable", "Upload-Offset", "Upload-Length", "Upload-Metadata", "Content-Type" })
            {
                Assert.Contains(header, allowed, StringComparison.OrdinalIgnoreCase);
            }
        }

        var visitor = await Api.VisitorAsync(Http, new { siteKey = UploadLimitsServer.CorsSiteKey });
        using (var allowedOrigin = await CreateFromAsync(visitor.Token, "https://shop.example"))
        {
            Assert.Equal(HttpStatusCode.Created, allowedOrigin.StatusCode);
            Assert.Equal("https://shop.example", allowedOrigin.Headers.GetValues("Access-Control-Allow-Origin").Single());
            var exposed = allowedOrigin.Headers.GetValues("Access-Control-Expose-Headers").Single();
            foreach (var header in new[] { "Location", "Upload-Offset", "Upload-Length", "Tus-Resumable", "Tus-Version", "Tus-Max-Size", "Tus-Extension", "Upload-Expires" })
            {
                Assert.Contains(header, exposed, StringComparison.Ordinal);
            }
        }
        using (var otherOrigin = await CreateFromAsync(visitor.Token, "https://evil.example"))
        {
            Assert.False(otherOrigin.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Theory]
    [InlineData("Kefu__Uploads__Sites__default__AllowedTypes__0", "pdf", "Kefu:Uploads:Sites:default:AllowedTypes")]
    [InlineData("Kefu__Uploads__Defaults__QuotaBytes", "0", "Kefu:Uploads:Defaults:QuotaBytes")]
    [InlineData("Kefu__Uploads__MaxImagePixels", "0", "Kefu:Uploads:MaxImagePixels")]
    public async Task A_bad_upload_setting_stops_the_server_naming_the_key(string key, string value, string named)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        var (exitCode, output) = await ServerProcess.RunToExitAsync(new Dictionary<string, string> { ["Kefu__DataDir"] = dataDir, [key] = value }, TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> CreateFromAsync(string token, string origin)
    {
        using var request = TusClient.Request(HttpMethod.Post, TusClient.Path, token);
        request.Headers.Add("Upload-Length", "10");
        request.Headers.Add("Origin", origin);
        return await Http.SendAsync(request);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string expected)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
            var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Contains(expected, (string?)problem!["title"], StringComparison.Ordinal);
        }
    }

    private static async Task<JsonObject> SendAsync(ProtocolClient client, string kind, string id)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "send", rid, clientMsgId = Guid.NewGuid().ToString("N"), kind, attachment = new { id } });
        return await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) is "ack" or "error");
    }
}
