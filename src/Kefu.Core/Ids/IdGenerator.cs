using System.Security.Cryptography;

namespace Kefu.Core.Ids;

/// <summary>
/// Opaque, sortable ids: a prefix, 48 bits of milliseconds and 80 random bits in Crockford base32
/// (the ULID layout), so ids from different nodes never collide and sort by creation time.
/// </summary>
public static class IdGenerator
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(string prefix, DateTimeOffset now)
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var ms = (ulong)now.ToUnixTimeMilliseconds();
        Span<char> chars = stackalloc char[26];
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(ms & 31)];
            ms >>= 5;
        }
        // 80 random bits -> 16 characters.
        ulong hi = ((ulong)random[0] << 32) | ((ulong)random[1] << 24) | ((ulong)random[2] << 16) | ((ulong)random[3] << 8) | random[4];
        ulong lo = ((ulong)random[5] << 32) | ((ulong)random[6] << 24) | ((ulong)random[7] << 16) | ((ulong)random[8] << 8) | random[9];
        for (var i = 17; i >= 10; i--)
        {
            chars[i] = Alphabet[(int)(hi & 31)];
            hi >>= 5;
        }
        for (var i = 25; i >= 18; i--)
        {
            chars[i] = Alphabet[(int)(lo & 31)];
            lo >>= 5;
        }
        return string.Concat(prefix, "_", new string(chars));
    }
}
