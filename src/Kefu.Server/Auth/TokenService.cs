using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Server.Auth;

/// <summary>
/// Issues and checks compact signed tokens: <c>base64url(claims JSON).base64url(HMAC-SHA256)</c>. Every node
/// shares the key through the store, so a token issued by one node is valid on all.
/// </summary>
internal sealed class TokenService(SigningKeyRing keys, TimeProvider time)
{
    public (string Token, DateTimeOffset ExpiresAt) Issue(string sub, string role, string tenantId, string? siteId, int version, TimeSpan lifetime)
    {
        var expiresAt = time.GetUtcNow().Add(lifetime);
        var claims = new TokenClaims(sub, role, tenantId, siteId, version, expiresAt.ToUnixTimeSeconds());
        var payload = JsonSerializer.SerializeToUtf8Bytes(claims, TokenJsonContext.Default.TokenClaims);
        var signature = HMACSHA256.HashData(keys.Key, payload);
        var token = string.Concat(Base64Url.EncodeToString(payload), ".", Base64Url.EncodeToString(signature));
        return (token, DateTimeOffset.FromUnixTimeSeconds(claims.Exp));
    }

    /// <summary>Returns the claims of a well-signed token; null for a forged, malformed or (unless allowed) expired one.</summary>
    public TokenClaims? Validate(string? token, bool allowExpired = false)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
        {
            return null;
        }
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
        {
            return null;
        }
        byte[] payload;
        byte[] signature;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        var expected = HMACSHA256.HashData(keys.Key, payload);
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return null;
        }
        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize(payload, TokenJsonContext.Default.TokenClaims);
        }
        catch (JsonException)
        {
            return null;
        }
        if (claims is null || (!allowExpired && claims.Exp <= time.GetUtcNow().ToUnixTimeSeconds()))
        {
            return null;
        }
        return claims;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TokenClaims))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
