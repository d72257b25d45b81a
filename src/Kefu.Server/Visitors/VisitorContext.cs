using System.Buffers;
using System.Text.Json;
using Kefu.Server.Realtime;

namespace Kefu.Server.Visitors;

/// <summary>
/// The page a visitor is on, as the agent's visitor panel shows it: the known fields the client reports,
/// capped in length, plus what the server itself saw (address, user agent, and the browser's first
/// <c>Accept-Language</c> as <c>locale</c> when the client reported none). Unknown fields are dropped.
/// </summary>
internal static class VisitorContext
{
    private const int MaxFieldLength = 2048;
    private static readonly string[] Fields = ["pageUrl", "referrer", "title", "locale"];

    private const int MaxLocaleLength = 35;

    public static string Merge(JsonElement? reported, ClientConnection connection) =>
        Merge(reported, connection.RemoteAddress, connection.UserAgent, connection.AcceptLocale);

    /// <summary>The language the request's <c>Accept-Language</c> prefers most (not <c>*</c>); null when none.</summary>
    public static string? AcceptLocale(HttpRequest request)
    {
        var ranked = request.GetTypedHeaders().AcceptLanguage;
        var best = ranked
            .Where(l => l.Value.HasValue && l.Value.Value != "*" && l.Value.Length <= MaxLocaleLength && (l.Quality ?? 1) > 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .FirstOrDefault();
        return best?.Value.Value;
    }

    public static JsonElement Parse(string contextJson)
    {
        using var document = JsonDocument.Parse(contextJson);
        return document.RootElement.Clone();
    }

    public static string Merge(JsonElement? reported, string? ip, string? userAgent, string? acceptLocale = null)
    {
        var hasLocale = false;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (reported is { ValueKind: JsonValueKind.Object } context)
            {
                foreach (var field in Fields)
                {
                    if (context.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        var text = value.GetString()!;
                        writer.WriteString(field, text.Length > MaxFieldLength ? text[..MaxFieldLength] : text);
                        hasLocale |= field == "locale" && text.Length > 0;
                    }
                }
            }
            if (!hasLocale && acceptLocale is not null)
            {
                writer.WriteString("locale", acceptLocale);
            }
            if (ip is not null)
            {
                writer.WriteString("ip", ip);
            }
            if (userAgent is not null)
            {
                writer.WriteString("userAgent", userAgent);
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
