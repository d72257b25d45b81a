using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

[Collection(LimitedServerGroup.Name)]
public sealed class BadInputTests(LimitedServer fixture)
{
    private ServerProcess Server => fixture.Server;

    private async Task<(ProtocolClient Client, string Token)> VisitorClientAsync()
    {
        var visitor = await Api.VisitorAsync(Server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(Server.WebSocketUri, visitor.Token);
        return (client, visitor.Token);
    }

    private static async Task<JsonObject> ErrorFor(ProtocolClient client, string raw)
    {
        await client.SendRawAsync(raw);
        return await client.WaitForAsync(f => ProtocolClient.Type(f) == "error");
    }

    private static async Task AssertStillServes(ProtocolClient client)
    {
        var rid = client.NextRid();
        await client.SendAsync(new { type = "ping", rid });
        var pong = await client.WaitForAsync(f => (string?)f["rid"] == rid);
        Assert.Equal("pong", ProtocolClient.Type(pong));
    }

    [Theory]
    [InlineData("this is not json", "bad_frame")]
    [InlineData("[1,2,3]", "bad_frame")]
    [InlineData("{\"rid\":\"x\"}", "bad_frame")]
    [InlineData("{\"type\":\"teleport\",\"rid\":\"x\"}", "unknown_type")]
    [InlineData("{\"type\":\"sync\",\"rid\":\"x\",\"conversationId\":42,\"afterSeq\":0}", "bad_frame")]
    [InlineData("{\"type\":\"sync\",\"rid\":\"x\",\"conversationId\":\"c\",\"afterSeq\":\"zero\"}", "bad_frame")]
    [InlineData("{\"type\":\"send\",\"rid\":\"x\",\"kind\":\"text\",\"text\":\"no id\"}", "bad_frame")]
    [InlineData("{\"type\":\"send\",\"rid\":\"x\",\"clientMsgId\":\"a\",\"kind\":\"text\",\"text\":true}", "bad_frame")]
    [InlineData("{\"type\":\"send\",\"rid\":\"x\",\"clientMsgId\":\"a\",\"kind\":\"image\"}", "bad_frame")]
    [InlineData("{\"type\":\"read\",\"rid\":\"x\",\"conversationId\":\"c_nope\",\"seq\":1}", "not_found")]
    public async Task A_bad_frame_gets_the_documented_error_and_the_connection_stays_open(string raw, string code)
    {
        var (client, _) = await VisitorClientAsync();
        await using var _ = client;
        var error = await ErrorFor(client, raw);
        Assert.Equal(code, (string?)error["code"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        await AssertStillServes(client);
    }

    [Fact]
    public async Task An_oversize_frame_is_too_large_and_the_connection_stays_open()
    {
        var (client, _) = await VisitorClientAsync();
        await using var _ = client;
        var huge = "{\"type\":\"send\",\"rid\":\"big\",\"clientMsgId\":\"big\",\"kind\":\"text\",\"text\":\"" + new string('x', 70 * 1024) + "\"}";
        var error = await ErrorFor(client, huge);
        Assert.Equal("too_large", (string?)error["code"]);
        await AssertStillServes(client);
    }

    [Fact]
    public async Task Text_is_limited_in_code_points_not_bytes()
    {
        var (client, _) = await VisitorClientAsync();
        await using var _ = client;
        // 4,000 emoji are 8,000 UTF-16 units and 16,000 bytes, yet exactly the limit.
        await client.SendTextAsync(string.Concat(Enumerable.Repeat("😀", 4000)));
        var error = await ErrorFor(client, System.Text.Json.JsonSerializer.Serialize(new { type = "send", rid = "long", clientMsgId = "long", kind = "text", text = new string('a', 4001) }));
        Assert.Equal("too_large", (string?)error["code"]);
        Assert.Equal("long", (string?)error["rid"]);
    }

    [Fact]
    public async Task A_connection_without_hello_in_time_is_closed_with_4408()
    {
        await using var client = await ProtocolClient.ConnectAsync(Server.WebSocketUri);
        Assert.Equal((WebSocketCloseStatus)4408, await client.WaitForCloseAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_first_frame_other_than_hello_is_closed_with_4400()
    {
        await using var client = await ProtocolClient.ConnectAsync(Server.WebSocketUri);
        await client.SendAsync(new { type = "ping", rid = "1" });
        Assert.Equal((WebSocketCloseStatus)4400, await client.WaitForCloseAsync());
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("eyJzdWIiOiJ2XzEifQ.AAAA")]
    public async Task A_forged_token_is_closed_with_4401(string token)
    {
        await using var client = await ProtocolClient.ConnectAsync(Server.WebSocketUri);
        await client.SendAsync(new { type = "hello", rid = "h", token });
        Assert.Equal((WebSocketCloseStatus)4401, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task A_tampered_visitor_token_is_closed_with_4401()
    {
        var visitor = await Api.VisitorAsync(Server.Http);
        var tampered = visitor.Token[..^2] + (visitor.Token[^2] == 'A' ? "B" : "A") + visitor.Token[^1];
        await using var client = await ProtocolClient.ConnectAsync(Server.WebSocketUri);
        await client.SendAsync(new { type = "hello", rid = "h", token = tampered });
        Assert.Equal((WebSocketCloseStatus)4401, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task More_than_ten_errors_in_a_minute_close_the_connection_with_4400()
    {
        var (client, _) = await VisitorClientAsync();
        await using var _ = client;
        for (var i = 0; i < 11; i++)
        {
            await client.SendRawAsync("nope");
        }
        Assert.Equal((WebSocketCloseStatus)4400, await client.WaitForCloseAsync());
    }

    [Fact]
    public async Task The_twenty_first_send_in_ten_seconds_is_rate_limited_and_a_repeat_does_not_count()
    {
        var (client, _) = await VisitorClientAsync();
        await using var _ = client;
        await client.SendTextAsync("first", clientMsgId: "rl-0");
        // Repeats of an acked message are answered from the store and use up no allowance.
        for (var i = 0; i < 5; i++)
        {
            await client.SendTextAsync("first", clientMsgId: "rl-0");
        }
        for (var i = 1; i < 20; i++)
        {
            await client.SendTextAsync("m" + i, clientMsgId: "rl-" + i);
        }
        var error = await ErrorFor(client, System.Text.Json.JsonSerializer.Serialize(new { type = "send", rid = "21", clientMsgId = "rl-21", kind = "text", text = "one too many" }));
        Assert.Equal("rate_limited", (string?)error["code"]);
        // Even while the window is full, a retry of a stored message still gets its original ack.
        var retried = await client.SendTextAsync("m5", clientMsgId: "rl-5");
        Assert.Equal(6L, (long)retried["seq"]!);
        await AssertStillServes(client);
    }

    [Fact]
    public async Task Abusive_clients_do_not_stop_the_server_serving_others()
    {
        for (var i = 0; i < 5; i++)
        {
            var (bad, _) = await VisitorClientAsync();
            for (var j = 0; j < 12; j++)
            {
                await bad.SendRawAsync("{\"type\":");
            }
            await bad.WaitForCloseAsync();
            await bad.DisposeAsync();
        }
        var (good, _) = await VisitorClientAsync();
        await using var _ = good;
        var ack = await good.SendTextAsync("still here");
        Assert.Equal(1L, (long)ack["seq"]!);
    }
}
