namespace Kefu.Bots.Text;

/// <summary>Folds the variants a visitor types (full-width letters, case) to one form.</summary>
internal static class TextNormalizer
{
    public static string Normalize(string text)
    {
        return string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                // Full-width ASCII (Ａ, ９, ？) as typed by Chinese input methods.
                if (c is >= '\uFF01' and <= '\uFF5E')
                {
                    c = (char)(c - 0xFEE0);
                }
                else if (c == '\u3000')
                {
                    c = ' ';
                }
                span[i] = char.ToLowerInvariant(c);
            }
        });
    }

    public static bool IsCjk(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';

    public static bool IsWordChar(char c) => !IsCjk(c) && char.IsLetterOrDigit(c);
}
