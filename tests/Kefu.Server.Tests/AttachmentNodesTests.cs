using System.Net;
using System.Security.Cryptography;
using System.Text;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>
/// Two nodes on one store and one uploads folder: upload metadata, where a file was sent and the link-signing key
/// are shared through the store, so any node resumes, checks and serves any upload.
/// </summary>
public sealed class AttachmentNodesTests
{
    [Fact]
    public async Task An_upload_resumes_on_another_node_and_both_nodes_honour_where_it_was_sent_and_its_links()
    {
        await using var nodeA = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__SendsPer10Seconds"] = "1000000" });
        await using var nodeB = await ServerProcess.StartSiblingAsync(nodeA);
        var chat = await CrossNodeChat.StartAsync(nodeB, nodeA);
        await using var agent = chat.Agent;
        await using var visitor = chat.Visitor;

        // The visitor's image: first half through node A, the rest through node B, sent on node B.
        var jpeg = AttachmentImages.Jpeg(400, 300, withGps: false);
        var path = await TusClient.CreateAsync(nodeA.Http, chat.Session.Token, jpeg.Length, "part.jpg");
        Assert.Equal(1000, await TusClient.PatchAsync(nodeA.Http, chat.Session.Token, path, 0, jpeg.AsMemory(0, 1000)));
        Assert.Equal(1000, await TusClient.OffsetAsync(nodeB.Http, chat.Session.Token, path));
        Assert.Equal(jpeg.Length, await TusClient.PatchAsync(nodeB.Http, chat.Session.Token, path, 1000, jpeg.AsMemory(1000)));
        var imageAck = await SendAsync(visitor, "image", path.Split('/')[^1], null);
        Assert.Equal("ack", ProtocolClient.Type(imageAck));

        // The agent's file, uploaded and sent on node A: its link works on node B, and the visitor may fetch it there.
        var terms = Encoding.UTF8.GetBytes("%PDF-1.7 terms");
        var fileId = (await TusClient.UploadAsync(nodeA.Http, chat.AdminToken, terms, "terms.pdf")).Split('/')[^1];
        var fileAck = await SendAsync(agent, "file", fileId, chat.ConversationId);
        Assert.Equal("ack", ProtocolClient.Type(fileAck));
        var frame = await agent.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)fileAck["msgId"]);
        using (var signed = await nodeB.Http.GetAsync(((string)frame["attachment"]!["url"]!).TrimStart('/')))
        {
            Assert.Equal(HttpStatusCode.OK, signed.StatusCode);
            Assert.Equal(terms, await signed.Content.ReadAsByteArrayAsync());
        }
        using (var byVisitor = await TusClient.DownloadAsync(nodeB.Http, chat.Session.Token, $"api/v1/uploads/{fileId}"))
        {
            Assert.Equal(HttpStatusCode.OK, byVisitor.StatusCode);
        }
        var stranger = await Api.VisitorAsync(nodeB.Http);
        using (var byStranger = await TusClient.DownloadAsync(nodeB.Http, stranger.Token, $"api/v1/uploads/{fileId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
        }
        using var image = await TusClient.DownloadAsync(nodeA.Http, chat.AdminToken, path);
        Assert.Equal(SHA256.HashData(jpeg), SHA256.HashData(await image.Content.ReadAsByteArrayAsync()));
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> SendAsync(ProtocolClient client, string kind, string id, string? conversationId)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "send", rid, clientMsgId = Guid.NewGuid().ToString("N"), conversationId, kind, attachment = new { id } });
        return await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) is "ack" or "error");
    }
}
