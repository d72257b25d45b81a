namespace Kefu.Bots.Text;

/// <summary>
/// A light suffix stripper (plural, -ing, -ed): enough to make "shipping", "shipped" and "ships" one
/// feature without a full Porter stemmer's surprises. Query and index use the same function, so a
/// stem only has to be consistent, not a real word.
/// </summary>
internal static class EnglishStemmer
{
    public static string Stem(string word)
    {
        var stem = StripSuffix(word);
        // "reimburse" and "reimbursed" must meet: drop a final e, as Porter's last step does.
        return stem.Length > 4 && stem[^1] == 'e' ? stem[..^1] : stem;
    }

    private static string StripSuffix(string word)
    {
        if (word.Length <= 3)
        {
            return word;
        }
        if (word.EndsWith("ies", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }
        if (word.EndsWith("ied", StringComparison.Ordinal) && word.Length > 4)
        {
            return word[..^3] + "y";
        }
        if (word.EndsWith("sses", StringComparison.Ordinal))
        {
            return word[..^2];
        }
        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            return Undouble(word[..^3]);
        }
        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4)
        {
            return Undouble(word[..^2]);
        }
        if (word[^1] == 's' && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        {
            return word[..^1];
        }
        return word;
    }

    /// <summary>Splits normalized text into stemmed words (apostrophe endings such as 't and 's dropped).</summary>
    public static List<string> StemWords(string normalized)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            var inWord = i < normalized.Length && TextNormalizer.IsWordChar(normalized[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = normalized[start..i];
                start = -1;
                if (i < normalized.Length && normalized[i] == '\'')
                {
                    // "don't" -> "don"; "won't" -> "won": the rest of the contraction is skipped below.
                    i = SkipContraction(normalized, i);
                }
                words.Add(Stem(word));
            }
        }
        return words;
    }

    private static int SkipContraction(string text, int apostrophe)
    {
        var j = apostrophe + 1;
        while (j < text.Length && TextNormalizer.IsWordChar(text[j]) && j - apostrophe <= 2)
        {
            j++;
        }
        return j - 1;
    }

    private static string Undouble(string stem)
    {
        if (stem.Length >= 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z'))
        {
            return stem[..^1];
        }
        // "shipping" -> "ship", but "choosing" -> "choos": harmless, both sides agree.
        return stem;
    }
}
