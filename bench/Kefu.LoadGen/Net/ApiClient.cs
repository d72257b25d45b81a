using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Net;

/// <summary>The REST calls the generator needs: visitor sessions, agent login, agent creation, health.</summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient http;

    public ApiClient(Uri baseAddress, IPAddress? source)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (source is not null)
                        socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task<(string VisitorId, string Token)> CreateVisitorSessionAsync(string siteKey, CancellationToken cancellationToken)
    {
        var body = await PostAsync("/api/v1/visitor/sessions", new JsonObject { ["siteKey"] = siteKey }, null, cancellationToken);
        return (body["visitorId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    public async Task<string> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var body = await PostAsync("/api/v1/auth/login", new JsonObject { ["username"] = username, ["password"] = password }, null, cancellationToken);
        return body["token"]!.GetValue<string>();
    }

    /// <summary>Creates an agent; null when the server has no agents API yet (404/405).</summary>
    public async Task<bool?> TryCreateAgentAsync(string adminToken, string username, string password, int maxConcurrent, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/agents", UriKind.Relative))
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["username"] = username,
                ["password"] = password,
                ["displayName"] = username,
                ["maxConcurrent"] = maxConcurrent,
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
            return null;
        return response.IsSuccessStatusCode;
    }

    private async Task<JsonNode> PostAsync(string path, JsonObject payload, string? bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(payload) };
        if (bearer is not null)
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text) ?? throw new HttpRequestException($"POST {path}: empty body");
    }

    public void Dispose() => http.Dispose();
}
