using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Server.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace Kefu.Server.Tests;

/// <summary>
/// Two nodes with separate data folders over one PostgreSQL database, one Redis and one S3-compatible bucket
/// (s3rver): no shared folder, yet either node resumes, serves (with ranges) and thumbnails any upload.
/// </summary>
public sealed class S3NodesTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [SkippableFact]
    public async Task An_upload_made_through_one_node_resumes_downloads_with_a_range_and_has_its_thumbnail_through_the_other()
    {
        await using var s3 = await S3rverServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        var settings = s3.KefuSettings();
        settings["Kefu__Uploads__MaxBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var cluster = await Cluster.StartAsync(database, 2, settings);
        var (nodeA, nodeB) = (cluster.Nodes[0], cluster.Nodes[1]);
        Assert.NotEqual(nodeA.DataDir, nodeB.DataDir);
        var chat = await CrossNodeChat.StartAsync(nodeA, nodeB);
        await using var agent = chat.Agent;
        await using var visitor = chat.Visitor;

        // A PNG padded past 5 MiB (several segments): half through node A, the rest through node B.
        var png = AttachmentImages.Png(640, 480);
        var file = png.Concat(RandomNumberGenerator.GetBytes(6 * 1024 * 1024)).ToArray();
        var path = await TusClient.CreateAsync(nodeA.Http, chat.Session.Token, file.Length, "photo.png");
        var half = file.Length / 2;
        Assert.Equal(half, await TusClient.PatchAsync(nodeA.Http, chat.Session.Token, path, 0, file.AsMemory(0, half)));
        Assert.Equal(half, await TusClient.OffsetAsync(nodeB.Http, chat.Session.Token, path));
        Assert.Equal(file.Length, await TusClient.PatchAsync(nodeB.Http, chat.Session.Token, path, half, file.AsMemory(half)));
        Assert.False(File.Exists(Path.Combine(nodeA.DataDir, "uploads", path.Split('/')[^1] + ".bin")));
        Assert.False(File.Exists(Path.Combine(nodeB.DataDir, "uploads", path.Split('/')[^1] + ".bin")));

        // Sent through node A; the agent on node B fetches the whole file, a range and the thumbnail from node B.
        var rid = visitor.NextRid();
        await visitor.SendAsync(new { type = "send", rid, clientMsgId = Guid.NewGuid().ToString("N"), kind = "image", attachment = new { id = path.Split('/')[^1] } });
        var ack = await visitor.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) is "ack" or "error");
        Assert.True(ProtocolClient.Type(ack) == "ack", ack.ToJsonString());
        var frame = await agent.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)ack["msgId"]);
        Assert.Equal(640, (int)frame["attachment"]!["width"]!);

        using (var whole = await TusClient.DownloadAsync(nodeB.Http, chat.AdminToken, path))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(SHA256.HashData(file), SHA256.HashData(await whole.Content.ReadAsByteArrayAsync()));
        }
        var from = half - 100;
        using (var range = await TusClient.DownloadAsync(nodeB.Http, chat.AdminToken, path, new RangeHeaderValue(from, from + 199)))
        {
            Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
            Assert.Equal(file.AsSpan(from, 200).ToArray(), await range.Content.ReadAsByteArrayAsync());
        }
        using var thumbnail = await nodeB.Http.GetAsync(((string)frame["attachment"]!["thumbnailUrl"]!).TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        var info = Image.Identify(await thumbnail.Content.ReadAsByteArrayAsync());
        Assert.Equal((320, 240), (info.Width, info.Height));
        await postgres.DropDatabaseAsync(database);
    }
}
