using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

/// <summary>
/// The per-address visitor session limit (2 a minute here) shows which address the server believes: the
/// forwarded one only when the request comes from a trusted proxy, the socket's otherwise.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Limit = "2";

    [Fact]
    public async Task Behind_a_trusted_proxy_each_forwarded_address_has_its_own_limit()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Limits__VisitorSessionsPerMinute"] = Limit,
            ["Kefu__Hosting__KnownProxies"] = "127.0.0.1, ::1",
        });
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SessionAsync(server, "203.0.113.1"));
        // Another visitor behind the same proxy is not limited by the first one's sessions.
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "203.0.113.2"));
        // A chain: the proxy appends what the client sent; only the hop the proxy saw counts.
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "203.0.113.1, 203.0.113.3"));
    }

    [Fact]
    public async Task A_range_of_trusted_proxies_works_like_a_list()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Limits__VisitorSessionsPerMinute"] = Limit,
            ["Kefu__Hosting__KnownNetworks"] = "127.0.0.0/8",
        });
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SessionAsync(server, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "198.51.100.2"));
    }

    [Fact]
    public async Task Without_trusted_proxies_a_client_cannot_pick_its_address()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__VisitorSessionsPerMinute"] = Limit });
        await AllCountAgainstTheSocketAddressAsync(server);
    }

    [Fact]
    public async Task A_client_that_is_not_a_trusted_proxy_cannot_pick_its_address()
    {
        // Loopback is not trusted unless listed: only 127.0.0.2 is, and the test connects from 127.0.0.1.
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["Kefu__Limits__VisitorSessionsPerMinute"] = Limit,
            ["Kefu__Hosting__KnownProxies"] = "127.0.0.2",
            ["Kefu__Hosting__KnownNetworks"] = "10.0.0.0/8",
        });
        await AllCountAgainstTheSocketAddressAsync(server);
    }

    [Theory]
    [InlineData("Kefu__Hosting__KnownProxies", "10.0.0.0/8", "Kefu:Hosting:KnownProxies")]
    [InlineData("Kefu__Hosting__KnownNetworks", "nginx", "Kefu:Hosting:KnownNetworks")]
    public async Task A_bad_proxy_setting_stops_the_server_with_a_message_naming_the_key(string variable, string value, string key)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new Dictionary<string, string> { ["Kefu__DataDir"] = dataDir, [variable] = value }, TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains(key, output, StringComparison.Ordinal);
        Assert.Contains(value, output, StringComparison.Ordinal);
    }

    private static async Task AllCountAgainstTheSocketAddressAsync(ServerProcess server)
    {
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "203.0.113.1"));
        Assert.Equal(HttpStatusCode.OK, await SessionAsync(server, "203.0.113.2"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SessionAsync(server, "203.0.113.3"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await SessionAsync(server, null));
    }

    private static async Task<HttpStatusCode> SessionAsync(ServerProcess server, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/visitor/sessions") { Content = JsonContent.Create(new { siteKey = "default" }) };
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
            request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        }
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
