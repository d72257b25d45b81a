using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>
/// The whole tus upload specification (<see cref="UploadTests"/>) with <c>Kefu:Uploads:Storage=s3</c> against a real
/// S3-compatible server (s3rver), plus what only S3 shows: the bytes are objects in the bucket, a file is made of
/// segments that ranges read across, and termination removes the objects.
/// </summary>
[Collection(S3TusServerGroup.Name)]
public sealed class S3UploadTests(S3TusServer fixture) : UploadTests(fixture)
{
    [SkippableFact]
    public async Task Bytes_go_to_the_bucket_in_segments_that_a_range_reads_across_and_termination_removes_them()
    {
        var server = fixture.Server;
        var s3 = fixture.S3!;
        var visitor = await Api.VisitorAsync(server.Http);
        var file = new byte[TusServer.MaxBytes];
        Random.Shared.NextBytes(file);
        var path = await TusClient.CreateAsync(server.Http, visitor.Token, file.Length, "big.bin");
        var id = path.Split('/')[^1];

        // Small PATCHes: each is a segment object, the short last one rewritten with the next bytes (one object).
        var offset = 0L;
        foreach (var size in new[] { 1000, 2000, 300_000 })
        {
            offset = await TusClient.PatchAsync(server.Http, visitor.Token, path, offset, file.AsMemory((int)offset, size));
        }
        Assert.Equal(303_000, offset);
        Assert.Equal([$"uploads/{id}/0000000000000-0000000303000"], s3.Keys($"uploads/{id}/"));
        Assert.False(Directory.Exists(Path.Combine(server.DataDir, "uploads", id + ".bin")), "bytes on the local disk");
        Assert.Equal(file.Length, await TusClient.PatchAsync(server.Http, visitor.Token, path, offset, file.AsMemory((int)offset)));

        using (var whole = await TusClient.DownloadAsync(server.Http, visitor.Token, path))
        {
            Assert.Equal(SHA256.HashData(file), SHA256.HashData(await whole.Content.ReadAsByteArrayAsync()));
        }
        using (var range = await TusClient.DownloadAsync(server.Http, visitor.Token, path, new RangeHeaderValue(302_990, 303_009)))
        {
            Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
            Assert.Equal(file.AsSpan(302_990, 20).ToArray(), await range.Content.ReadAsByteArrayAsync());
        }

        using var delete = await server.Http.SendAsync(TusClient.Request(HttpMethod.Delete, path, visitor.Token));
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(s3.Keys($"uploads/{id}"));
    }

    [SkippableFact]
    public async Task A_bad_s3_setting_stops_the_server_naming_the_key()
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new Dictionary<string, string>
            {
                ["Kefu__DataDir"] = dataDir,
                ["Kefu__Uploads__Storage"] = "s3",
                ["Kefu__Uploads__S3__ServiceUrl"] = "ftp://example",
                ["Kefu__Uploads__S3__AccessKey"] = "only-the-key",
            },
            TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains("Kefu:Uploads:S3:Bucket", output, StringComparison.Ordinal);
        Assert.Contains("Kefu:Uploads:S3:ServiceUrl", output, StringComparison.Ordinal);
        Assert.Contains("Kefu:Uploads:S3:SecretKey", output, StringComparison.Ordinal);
    }
}
