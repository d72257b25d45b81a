using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;
using SixLabors.ImageSharp;

namespace Kefu.Server.Tests;

[Collection(AttachmentServerGroup.Name)]
public sealed class AttachmentTests(AttachmentServer fixture)
{
    private ServerProcess Server => fixture.Server;

    private HttpClient Http => Server.Http;

    [Fact]
    public async Task A_visitors_image_reaches_the_agent_with_dimensions_and_signed_links_and_without_its_gps_position()
    {
        var chat = await CrossNodeChat.StartAsync(Server, Server);
        await using var agent = chat.Agent;
        await using var visitor = chat.Visitor;
        var jpeg = AttachmentImages.Jpeg(800, 600, withGps: true);
        Assert.NotEmpty(AttachmentImages.GpsTags(jpeg));
        var id = UploadId(await TusClient.UploadAsync(Http, chat.Session.Token, jpeg, "holiday.jpg", "image/jpeg"));

        var ack = await SendAsync(visitor, "image", new { id }, text: "look at this");
        Assert.Equal("ack", ProtocolClient.Type(ack));

        var frame = await agent.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)ack["msgId"]);
        Assert.Equal("image", (string?)frame["kind"]);
        Assert.Equal("look at this", (string?)frame["text"]);
        var attachment = frame["attachment"]!.AsObject();
        Assert.Equal(id, (string?)attachment["id"]);
        Assert.Equal("holiday.jpg", (string?)attachment["name"]);
        Assert.Equal("image/jpeg", (string?)attachment["contentType"]);
        Assert.Equal(800, (int)attachment["width"]!);
        Assert.Equal(600, (int)attachment["height"]!);
        Assert.Null(attachment["durationSeconds"]);

        // The links work without any Authorization header, as in <img src>.
        using var anonymous = new HttpClient { BaseAddress = Server.BaseUri, Timeout = TimeSpan.FromSeconds(30) };
        var thumbnailUrl = (string)attachment["thumbnailUrl"]!;
        Assert.StartsWith($"/api/v1/uploads/{id}/thumbnail?exp=", thumbnailUrl, StringComparison.Ordinal);
        using var thumbnail = await anonymous.GetAsync(thumbnailUrl.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType?.MediaType);
        var thumbnailBytes = await thumbnail.Content.ReadAsByteArrayAsync();
        var thumbnailInfo = Image.Identify(thumbnailBytes);
        Assert.Equal((320, 240), (thumbnailInfo.Width, thumbnailInfo.Height));
        Assert.True(thumbnailBytes.Length < jpeg.Length, $"thumbnail {thumbnailBytes.Length} bytes, original {jpeg.Length}");

        var url = (string)attachment["url"]!;
        Assert.StartsWith($"/api/v1/uploads/{id}?exp=", url, StringComparison.Ordinal);
        using var original = await anonymous.GetAsync(url.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, original.StatusCode);
        Assert.Equal("nosniff", original.Headers.GetValues("X-Content-Type-Options").Single());
        var stored = await original.Content.ReadAsByteArrayAsync();
        Assert.Equal((long)attachment["size"]!, stored.Length);
        Assert.Empty(AttachmentImages.GpsTags(stored));
        Assert.Equal(AttachmentImages.CameraMake, AttachmentImages.Make(stored));
        var storedInfo = Image.Identify(stored);
        Assert.Equal((800, 600), (storedInfo.Width, storedInfo.Height));

        // History read later carries the attachment with links too.
        var rid = agent.NextRid();
        await agent.SendAsync(new { type = "sync", rid, conversationId = chat.ConversationId, afterSeq = 0 });
        var page = await agent.WaitForAsync(f => (string?)f["rid"] == rid);
        var fromHistory = page["items"]!.AsArray().Single(m => (string?)m!["msgId"] == (string?)ack["msgId"])!["attachment"]!;
        Assert.Equal(id, (string?)fromHistory["id"]);
        Assert.StartsWith($"/api/v1/uploads/{id}?exp=", (string?)fromHistory["url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_sent_by_the_agent_may_be_downloaded_by_that_conversations_visitor_and_nobody_else()
    {
        var chat = await CrossNodeChat.StartAsync(Server, Server);
        await using var agent = chat.Agent;
        await using var visitor = chat.Visitor;
        var bytes = Encoding.UTF8.GetBytes("%PDF-1.7 terms and conditions");
        var id = UploadId(await TusClient.UploadAsync(Http, chat.AdminToken, bytes, "terms.pdf"));
        var stranger = await Api.VisitorAsync(Http);
        SecondTenant.Create(Server.DatabasePath);
        var otherAgent = await Api.LoginAsync(Http, SecondTenant.Username, SecondTenant.Password);

        // Before it is sent, the visitor may not fetch it.
        using (var early = await TusClient.DownloadAsync(Http, chat.Session.Token, $"api/v1/uploads/{id}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);
        }
        var ack = await SendAsync(agent, "file", new { id }, conversationId: chat.ConversationId);
        Assert.Equal("ack", ProtocolClient.Type(ack));
        var frame = await visitor.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)ack["msgId"]);
        var attachment = frame["attachment"]!;
        Assert.Equal("application/pdf", (string?)attachment["contentType"]);
        Assert.Equal(bytes.Length, (long)attachment["size"]!);
        Assert.Null(attachment["thumbnailUrl"]);
        Assert.Null(attachment["width"]);

        using var byVisitor = await TusClient.DownloadAsync(Http, chat.Session.Token, $"api/v1/uploads/{id}");
        Assert.Equal(HttpStatusCode.OK, byVisitor.StatusCode);
        Assert.Equal(bytes, await byVisitor.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", byVisitor.Content.Headers.ContentDisposition?.DispositionType);
        foreach (var token in new[] { stranger.Token, otherAgent.Token })
        {
            using var refused = await TusClient.DownloadAsync(Http, token, $"api/v1/uploads/{id}");
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
        using var anonymous = await Http.GetAsync($"api/v1/uploads/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Expired_tampered_and_misapplied_signed_links_get_403()
    {
        var visitor = await Api.VisitorAsync(Http);
        var id = UploadId(await TusClient.UploadAsync(Http, visitor.Token, AttachmentImages.Png(40, 30), "dot.png"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        // A link signed as documented works, so the refusals below are about expiry and tampering alone.
        using (var valid = await Http.GetAsync(AttachmentServer.SignedPath(id, "thumbnail", now + 600)))
        {
            Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
            Assert.Equal("image/png", valid.Content.Headers.ContentType?.MediaType);
        }
        var expired = AttachmentServer.SignedPath(id, "file", now - 1);
        var valid2 = AttachmentServer.SignedPath(id, "file", now + 600);
        var tampered = valid2[..^2] + (valid2[^2] == 'A' ? "BA" : "AA");
        var otherExpiry = valid2.Replace($"exp={now + 600}", $"exp={now + 6000}", StringComparison.Ordinal);
        var thumbnailSignatureOnFile = AttachmentServer.SignedPath(id, "thumbnail", now + 600).Replace("/thumbnail?", "?", StringComparison.Ordinal);
        var noSignature = $"api/v1/uploads/{id}?exp={now + 600}";
        foreach (var path in new[] { expired, tampered, otherExpiry, thumbnailSignatureOnFile, noSignature })
        {
            using var response = await Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {response.StatusCode}");
        }
        using var ok = await Http.GetAsync(valid2);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Unknown_foreign_incomplete_and_mismatched_uploads_are_refused_with_documented_codes()
    {
        var session = await Api.VisitorAsync(Http);
        var other = await Api.VisitorAsync(Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, session.Token);
        await using var _ = client;
        await client.SendTextAsync("hello");
        var foreign = UploadId(await TusClient.UploadAsync(Http, other.Token, AttachmentImages.Png(20, 20), "theirs.png"));
        var incomplete = UploadId(await TusClient.CreateAsync(Http, session.Token, 100, "half.bin"));
        var pdf = UploadId(await TusClient.UploadAsync(Http, session.Token, Encoding.UTF8.GetBytes("%PDF-1.4 not an image"), "fake.png", "image/png"));
        var png = UploadId(await TusClient.UploadAsync(Http, session.Token, AttachmentImages.Png(20, 20), "dot.png"));
        var gifScript = UploadId(await TusClient.UploadAsync(Http, session.Token, Encoding.ASCII.GetBytes("GIF89a=1;alert(document.domain)//"), "trick.gif"));
        var bomb = UploadId(await TusClient.UploadAsync(Http, session.Token, AttachmentImages.Png(1200, 1000), "huge.png"));

        Assert.Equal("not_found", await ErrorCodeAsync(client, "image", new { id = "up_doesnotexist" }));
        Assert.Equal("not_found", await ErrorCodeAsync(client, "image", new { id = foreign }));
        Assert.Equal("not_found", await ErrorCodeAsync(client, "file", new { id = "../../kefu.db" }));
        Assert.Equal("conflict", await ErrorCodeAsync(client, "file", new { id = incomplete }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "image", new { id = pdf }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "voice", new { id = png }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "image", new { id = gifScript }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "image", new { id = bomb }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "file", null));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "file", new { name = "no id" }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "text", new { id = png }, text: "text with an attachment"));

        // The same files are fine as what they really are.
        Assert.Equal("ack", ProtocolClient.Type(await SendAsync(client, "file", new { id = pdf })));
        Assert.Equal("ack", ProtocolClient.Type(await SendAsync(client, "file", new { id = gifScript })));
        Assert.Equal("ack", ProtocolClient.Type(await SendAsync(client, "file", new { id = bomb })));
        using var gif = await TusClient.DownloadAsync(Http, session.Token, $"api/v1/uploads/{gifScript}");
        Assert.Equal("image/gif", gif.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", gif.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("default-src 'none'; sandbox", gif.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Recorded_voice_in_webm_or_ogg_opus_is_audio_and_a_webm_with_a_video_track_stays_video()
    {
        var session = await Api.VisitorAsync(Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, session.Token);
        await using var _ = client;
        async Task<string?> SentTypeAsync(byte[] bytes, string name, string filetype, string kind)
        {
            // The client's claimed type is the same for all three: only the bytes decide.
            var id = UploadId(await TusClient.UploadAsync(Http, session.Token, bytes, name, filetype));
            var ack = await SendAsync(client, kind, kind == "voice" ? new { id, durationSeconds = 1 } : new { id });
            Assert.True(ProtocolClient.Type(ack) == "ack", ack.ToJsonString());
            var frame = await client.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)ack["msgId"]);
            return (string?)frame["attachment"]!["contentType"];
        }

        Assert.Equal("audio/webm", await SentTypeAsync(RecordedMedia.WebM(withVideo: false), "voice.webm", "video/webm", "voice"));
        Assert.Equal("audio/ogg", await SentTypeAsync(RecordedMedia.OggOpus(), "voice.ogg", "video/webm", "voice"));
        Assert.Equal("video/webm", await SentTypeAsync(RecordedMedia.WebM(withVideo: true), "clip.webm", "video/webm", "file"));
    }

    [Fact]
    public async Task A_voice_message_carries_its_duration_and_a_playable_link()
    {
        var session = await Api.VisitorAsync(Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, session.Token);
        await using var _ = client;
        var ogg = Encoding.ASCII.GetBytes("OggS").Concat(new byte[2000]).ToArray();
        var id = UploadId(await TusClient.UploadAsync(Http, session.Token, ogg, "voice.ogg"));

        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "voice", new { id, durationSeconds = -1 }));
        Assert.Equal("bad_frame", await ErrorCodeAsync(client, "voice", new { id, durationSeconds = "long" }));
        var ack = await SendAsync(client, "voice", new { id, durationSeconds = 3.5 });
        Assert.Equal("ack", ProtocolClient.Type(ack));
        var frame = await client.WaitForAsync(f => ProtocolClient.Type(f) == "message" && (string?)f["msgId"] == (string?)ack["msgId"]);
        var attachment = frame["attachment"]!;
        Assert.Equal("audio/ogg", (string?)attachment["contentType"]);
        Assert.Equal(3.5, (double)attachment["durationSeconds"]!);

        using var request = new HttpRequestMessage(HttpMethod.Get, ((string)attachment["url"]!).TrimStart('/'));
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(0, 3);
        using var range = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal("OggS"u8.ToArray(), await range.Content.ReadAsByteArrayAsync());
    }

    private static string UploadId(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static async Task<JsonObject> SendAsync(ProtocolClient client, string kind, object? attachment, string? text = null, string? conversationId = null)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "send", rid, clientMsgId = Guid.NewGuid().ToString("N"), conversationId, kind, text, attachment });
        return await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) is "ack" or "error");
    }

    private static async Task<string?> ErrorCodeAsync(ProtocolClient client, string kind, object? attachment, string? text = null)
    {
        var reply = await SendAsync(client, kind, attachment, text);
        Assert.True(ProtocolClient.Type(reply) == "error", "expected an error, got " + reply.ToJsonString());
        return (string?)reply["code"];
    }
}
