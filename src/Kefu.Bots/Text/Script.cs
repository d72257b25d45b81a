namespace Kefu.Bots.Text;

/// <summary>Which writing a text is mostly in; a visitor who writes Chinese wants the Chinese entry.</summary>
internal static class Script
{
    public static bool IsMostlyChinese(string text)
    {
        int cjk = 0, latin = 0;
        foreach (var c in text)
        {
            if (TextNormalizer.IsCjk(c))
            {
                cjk++;
            }
            else if (char.IsAsciiLetter(c))
            {
                latin++;
            }
        }
        // A Chinese character carries about as much as a short English word.
        return cjk * 3 >= latin;
    }
}
