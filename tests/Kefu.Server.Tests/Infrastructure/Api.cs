using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kefu.Server.Tests.Infrastructure;

internal sealed record VisitorSession(string VisitorId, string Token, DateTimeOffset ExpiresAt);

internal sealed record AgentLogin(string Token, DateTimeOffset ExpiresAt);

/// <summary>The HTTP calls tests make, against a running server.</summary>
internal static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<VisitorSession> VisitorAsync(HttpClient http, object? body = null)
    {
        using var response = await http.PostAsJsonAsync("api/v1/visitor/sessions", body ?? new { siteKey = "default" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"visitor session: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<VisitorSession>(text, Json)!;
    }

    public static async Task<AgentLogin> LoginAsync(HttpClient http, string username, string password)
    {
        using var response = await http.PostAsJsonAsync("api/v1/auth/login", new { username, password });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"login: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<AgentLogin>(text, Json)!;
    }

    public static HttpRequestMessage Authorized(HttpMethod method, string path, string token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return request;
    }
}
