using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Kefu.Core.Storage;
using Kefu.Server.Tests.Infrastructure;
using Kefu.Server.Uploads;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Server.Tests;

/// <summary>The tus upload specification, on local disk; <see cref="S3UploadTests"/> runs the same on S3.</summary>
[Collection(TusServerGroup.Name)]
public class UploadTests(TusServer fixture)
{
    private ServerProcess Server => fixture.Server;

    private HttpClient Http => Server.Http;

    [SkippableFact]
    public async Task Options_advertises_the_version_extensions_and_max_size()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, TusClient.Path);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("creation,termination,expiration", response.Headers.GetValues("Tus-Extension").Single());
        Assert.Equal(TusServer.MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Headers.GetValues("Tus-Max-Size").Single());
    }

    [SkippableFact]
    public async Task An_upload_cut_mid_way_resumes_from_the_servers_offset_and_the_hash_matches()
    {
        var visitor = await Api.VisitorAsync(Http);
        var file = RandomBytes(700_000);
        var path = await TusClient.CreateAsync(Http, visitor.Token, file.Length, "design.bin");

        Assert.Equal(100_000, await TusClient.PatchAsync(Http, visitor.Token, path, 0, file.AsMemory(0, 100_000)));

        // The connection drops after 300 000 more bytes of the announced 600 000. The server keeps what it was handed
        // (Kestrel drops the last buffered segment of a body that ends early), so the offset is somewhere in between.
        await TusInterruptions.CutAfterAsync(Server.Port, visitor.Token, path, 100_000, file.Length - 100_000, file.AsMemory(100_000, 300_000));
        var offset = await TusClient.OffsetAsync(Http, visitor.Token, path);
        Assert.InRange(offset, 100_000, 400_000);

        Assert.Equal(file.Length, await TusClient.PatchAsync(Http, visitor.Token, path, offset, file.AsMemory((int)offset)));
        using var download = await TusClient.DownloadAsync(Http, visitor.Token, path);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(SHA256.HashData(file), SHA256.HashData(await download.Content.ReadAsByteArrayAsync()));
    }

    [SkippableFact]
    public async Task An_upload_aborted_by_the_client_resumes_from_the_servers_offset_and_the_hash_matches()
    {
        var visitor = await Api.VisitorAsync(Http);
        var file = RandomBytes(600_000);
        var path = await TusClient.CreateAsync(Http, visitor.Token, file.Length);

        await TusInterruptions.AbortAfterAsync(Http, visitor.Token, path, 0, file.Length, file.AsMemory(0, 250_000));
        var offset = await TusClient.OffsetAsync(Http, visitor.Token, path);
        Assert.InRange(offset, 0, 250_000);

        Assert.Equal(file.Length, await TusClient.PatchAsync(Http, visitor.Token, path, offset, file.AsMemory((int)offset)));
        using var download = await TusClient.DownloadAsync(Http, visitor.Token, path);
        Assert.Equal(SHA256.HashData(file), SHA256.HashData(await download.Content.ReadAsByteArrayAsync()));
    }

    [SkippableFact]
    public async Task A_patch_at_the_wrong_offset_is_a_conflict()
    {
        var visitor = await Api.VisitorAsync(Http);
        var path = await TusClient.CreateAsync(Http, visitor.Token, 10);

        using var response = await TusClient.PatchRawAsync(Http, visitor.Token, path, 5, new byte[5]);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(0, await TusClient.OffsetAsync(Http, visitor.Token, path));
    }

    [SkippableFact]
    public async Task A_wrong_tus_version_is_refused_with_412_and_every_answer_says_tus_resumable()
    {
        var visitor = await Api.VisitorAsync(Http);
        using var request = new HttpRequestMessage(HttpMethod.Post, TusClient.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", visitor.Token);
        request.Headers.Add("Tus-Resumable", "0.2.2");
        request.Headers.Add("Upload-Length", "10");
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        using var anonymous = await TusClient.CreateRawAsync(Http, "not-a-token", 10);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("1.0.0", anonymous.Headers.GetValues("Tus-Resumable").Single());
    }

    [SkippableFact]
    public async Task Another_visitor_and_another_tenants_agent_get_404_while_the_tenants_agent_may_download()
    {
        var owner = await Api.VisitorAsync(Http);
        var stranger = await Api.VisitorAsync(Http);
        var file = Encoding.UTF8.GetBytes("private notes");
        var path = await TusClient.UploadAsync(Http, owner.Token, file);
        var partial = await TusClient.CreateAsync(Http, owner.Token, 100);
        SecondTenant.Create(Server.DatabasePath);
        var otherAgent = await Api.LoginAsync(Http, SecondTenant.Username, SecondTenant.Password);
        var agent = await Server.AdminTokenAsync();

        foreach (var token in new[] { stranger.Token, otherAgent.Token })
        {
            using var download = await TusClient.DownloadAsync(Http, token, path);
            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
            using var head = await TusClient.HeadRawAsync(Http, token, partial);
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
            using var patch = await TusClient.PatchRawAsync(Http, token, partial, 0, new byte[10]);
            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
            using var delete = await Http.SendAsync(TusClient.Request(HttpMethod.Delete, partial, token));
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }
        using var byAgent = await TusClient.DownloadAsync(Http, agent, path);
        Assert.Equal(HttpStatusCode.OK, byAgent.StatusCode);
        Assert.Equal(file, await byAgent.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, await TusClient.OffsetAsync(Http, owner.Token, partial));
    }

    [SkippableTheory]
    [InlineData("page.html", "text/html", "<!doctype html><html><body><script>alert(document.cookie)</script></body></html>")]
    [InlineData("logo.svg", "image/svg+xml", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>")]
    public async Task Html_and_svg_with_script_are_served_as_attachments_with_nosniff_and_a_sandbox(string name, string claimedType, string content)
    {
        var visitor = await Api.VisitorAsync(Http);
        var path = await TusClient.UploadAsync(Http, visitor.Token, Encoding.UTF8.GetBytes(content), name, claimedType);

        using var download = await TusClient.DownloadAsync(Http, visitor.Token, path);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/octet-stream", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        AssertHardened(download);
    }

    [SkippableFact]
    public async Task A_gif_html_polyglot_is_served_as_an_image_never_as_a_page()
    {
        var visitor = await Api.VisitorAsync(Http);
        var path = await TusClient.UploadAsync(Http, visitor.Token, Encoding.ASCII.GetBytes("GIF89a<html><script>alert(1)</script></html>"), "x.html", "text/html");

        using var download = await TusClient.DownloadAsync(Http, visitor.Token, path);

        Assert.Equal("image/gif", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition?.DispositionType);
        AssertHardened(download);
    }

    [SkippableFact]
    public async Task A_png_is_sniffed_from_its_bytes_and_shown_inline()
    {
        var visitor = await Api.VisitorAsync(Http);
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
        var path = await TusClient.UploadAsync(Http, visitor.Token, png, "photo.exe", "application/x-msdownload");

        using var download = await TusClient.DownloadAsync(Http, visitor.Token, path);

        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition?.DispositionType);
        AssertHardened(download);
    }

    [SkippableFact]
    public async Task A_name_with_a_path_and_control_characters_is_sanitised()
    {
        var visitor = await Api.VisitorAsync(Http);
        var path = await TusClient.UploadAsync(Http, visitor.Token, Encoding.UTF8.GetBytes("hello"), "../../etc/\u0000pass\u001b[31mwd\u202Etxt.exe\r\n");

        using var download = await TusClient.DownloadAsync(Http, visitor.Token, path);

        var disposition = download.Content.Headers.ContentDisposition!;
        Assert.Equal("pass[31mwdtxt.exe", disposition.FileNameStar ?? disposition.FileName?.Trim('"'));
        // Stored under its id, never under the name.
        Assert.True(fixture.HasBytes(Server.DataDir, path.Split('/')[^1]));
    }

    [SkippableFact]
    public async Task Zero_bytes_are_refused()
    {
        var visitor = await Api.VisitorAsync(Http);
        using var response = await TusClient.CreateRawAsync(Http, visitor.Token, 0);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task One_byte_over_the_limit_is_refused_and_the_limit_itself_is_accepted()
    {
        var visitor = await Api.VisitorAsync(Http);
        using var over = await TusClient.CreateRawAsync(Http, visitor.Token, TusServer.MaxBytes + 1);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over.StatusCode);
        using var exact = await TusClient.CreateRawAsync(Http, visitor.Token, TusServer.MaxBytes);
        Assert.Equal(HttpStatusCode.Created, exact.StatusCode);
    }

    [SkippableFact]
    public async Task A_body_longer_than_the_upload_is_refused()
    {
        var visitor = await Api.VisitorAsync(Http);
        var path = await TusClient.CreateAsync(Http, visitor.Token, 10);
        using var response = await TusClient.PatchRawAsync(Http, visitor.Token, path, 0, new byte[11]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [SkippableFact]
    public async Task A_range_request_returns_206_with_the_right_bytes()
    {
        var visitor = await Api.VisitorAsync(Http);
        var file = RandomBytes(50_000);
        var path = await TusClient.UploadAsync(Http, visitor.Token, file);

        using var response = await TusClient.DownloadAsync(Http, visitor.Token, path, new RangeHeaderValue(1000, 1999));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(file.AsSpan(1000, 1000).ToArray(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(50_000, response.Content.Headers.ContentRange?.Length);
    }

    [SkippableFact]
    public async Task Termination_removes_the_upload()
    {
        var visitor = await Api.VisitorAsync(Http);
        var path = await TusClient.CreateAsync(Http, visitor.Token, 10);

        using var delete = await Http.SendAsync(TusClient.Request(HttpMethod.Delete, path, visitor.Token));
        using var head = await TusClient.HeadRawAsync(Http, visitor.Token, path);

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [SkippableFact]
    public async Task A_partial_upload_survives_a_restart_and_a_single_patch_may_be_larger_than_kestrels_default_body_limit()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>(fixture.StorageSettings) { ["Kefu__Uploads__MaxBytes"] = "67108864" });
        var visitor = await Api.VisitorAsync(server.Http);
        var file = RandomBytes(40 * 1024 * 1024);
        var path = await TusClient.CreateAsync(server.Http, visitor.Token, file.Length);
        Assert.Equal(1000, await TusClient.PatchAsync(server.Http, visitor.Token, path, 0, file.AsMemory(0, 1000)));

        server.Kill();
        await server.StartAgainAsync();

        var offset = await TusClient.OffsetAsync(server.Http, visitor.Token, path);
        Assert.Equal(1000, offset);
        Assert.Equal(file.Length, await TusClient.PatchAsync(server.Http, visitor.Token, path, offset, file.AsMemory(1000)));
        using var download = await TusClient.DownloadAsync(server.Http, visitor.Token, path);
        Assert.Equal(SHA256.HashData(file), SHA256.HashData(await download.Content.ReadAsByteArrayAsync()));
    }

    [SkippableTheory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task A_bad_upload_limit_stops_the_server_naming_the_key(string value)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new Dictionary<string, string> { ["Kefu__DataDir"] = dataDir, ["Kefu__Uploads__MaxBytes"] = value }, TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains("Kefu:Uploads:MaxBytes", output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_sweep_removes_only_incomplete_uploads_past_their_expiry()
    {
        _ = Server; // skips when the storage cannot run here
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
            await using var database = new SqliteStore(
                new SqliteStoreOptions { DatabasePath = Path.Combine(dataDir, "kefu.db") }, time, new NoObserver(), NullLogger<SqliteStore>.Instance);
            await database.MigrateAsync(CancellationToken.None);
            var store = new UploadStore(database.Uploads);
            var storage = fixture.CreateStorage(dataDir);
            var cleanup = new UploadCleanup(store, storage, Options.Create(new UploadOptions()), time, NullLogger<UploadCleanup>.Instance);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var now = time.GetUtcNow();
            async Task SaveAsync(string id, bool complete, TimeSpan ttl)
            {
                await using (var bytes = await storage.OpenAppendAsync(id, 0, cts.Token))
                {
                    await bytes.WriteAsync(new byte[10], cts.Token);
                    await storage.CommitAsync(bytes, cts.Token);
                }
                await store.SaveAsync(new StoredUpload(id, "v1", "t1", "s1", 10, complete ? 10 : 0, "f", "application/octet-stream", complete, now, now + ttl), cts.Token);
            }
            await SaveAsync("stale", false, TimeSpan.FromHours(1));
            await SaveAsync("fresh", false, TimeSpan.FromHours(3));
            await SaveAsync("done", true, TimeSpan.FromHours(1));

            time.Advance(TimeSpan.FromHours(2));

            Assert.Equal(1, await cleanup.SweepAsync(cts.Token));
            Assert.Null(await store.FindAsync("stale", cts.Token));
            Assert.False(fixture.HasBytes(dataDir, "stale"));
            Assert.True(fixture.HasBytes(dataDir, "fresh"));
            Assert.NotNull(await store.FindAsync("fresh", cts.Token));
            Assert.NotNull(await store.FindAsync("done", cts.Token));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private sealed class NoObserver : IStoreObserver
    {
        public void OnCommitted(StoreChange change)
        {
        }
    }

    private static void AssertHardened(HttpResponseMessage download)
    {
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("default-src 'none'; sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
