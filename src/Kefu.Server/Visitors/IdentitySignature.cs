using System.Security.Cryptography;
using System.Text;

namespace Kefu.Server.Visitors;

/// <summary>
/// Identity verification for logged-in users: the host app's backend signs <c>userId</c> with the site's
/// secret (lowercase hex HMAC-SHA256), so a visitor cannot claim someone else's id.
/// </summary>
internal static class IdentitySignature
{
    public static string Sign(string secret, string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(userId)));

    public static bool Verify(string secret, string userId, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != 64)
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(secret, userId));
        var given = Encoding.ASCII.GetBytes(signature.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
