using System.Globalization;
using System.Text;

namespace Kefu.Server.Uploads;

/// <summary>Turns a client's file name into a harmless display name: no folders, no control or invisible characters, bounded length.</summary>
internal static class FileNames
{
    public const int MaxLength = 200;
    public const string Fallback = "file";

    public static string Sanitize(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fallback;
        }
        var lastSeparator = name.LastIndexOfAny(['/', '\\']);
        var builder = new StringBuilder(Math.Min(name.Length, MaxLength));
        foreach (var rune in name.AsSpan(lastSeparator + 1).EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }
            builder.Append(rune.Value is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? "_" : rune.ToString());
        }
        var clean = builder.ToString().Trim().Trim('.').Trim();
        if (clean.Length == 0)
        {
            return Fallback;
        }
        return clean.Length <= MaxLength ? clean : Truncate(clean);
    }

    // Keeps a short extension so the file still opens with the right program.
    private static string Truncate(string name)
    {
        var extension = Path.GetExtension(name);
        if (extension.Length is 0 or > 16)
        {
            extension = "";
        }
        var stem = name[..(name.Length - extension.Length)];
        var keep = MaxLength - extension.Length;
        if (char.IsHighSurrogate(stem[keep - 1]))
        {
            keep--;
        }
        return stem[..keep] + extension;
    }
}
