using System.Collections.Frozen;

namespace Kefu.Bots.Text;

/// <summary>
/// Function words that say how a question is asked, not what it is about. Removing them keeps
/// "怎么退款" and "退款" equally close to an entry, and keeps "how do I" from matching every entry.
/// </summary>
internal static class StopWords
{
    private static readonly FrozenSet<string> EnglishWords = FrozenSet.Create(
        StringComparer.Ordinal,
        [
            "a", "an", "the", "i", "me", "my", "mine", "we", "our", "us", "you", "your", "it", "its", "they", "them", "their",
            "is", "am", "are", "was", "were", "be", "been", "being", "do", "doe", "did", "done", "have", "ha", "had",
            "can", "could", "will", "would", "shall", "should", "may", "might", "must", "to", "of", "in", "on", "at", "for",
            "with", "from", "by", "about", "as", "into", "onto", "there", "here", "what", "which", "who", "whom", "how", "why",
            "where", "when", "this", "that", "these", "those", "and", "or", "but", "if", "so", "then", "than", "please", "hi",
            "hello", "thank", "thanks", "any", "some", "get", "got", "just", "want", "need", "like", "also", "too", "very",
            "up", "out", "all", "not", "no", "yes", "still", "yet", "now", "don", "won", "isn", "aren", "wasn", "hasn",
            "haven", "didn", "doesn", "cannot", "im", "ok", "okay", "let", "know", "tell", "possible", "is", "s", "t",
        ]);

    /// <summary>Chinese function words; single characters only when they almost never begin a content word.</summary>
    private static readonly FrozenSet<string> ChineseWords = FrozenSet.Create(
        StringComparer.Ordinal,
        [
            "怎么", "怎样", "如何", "什么", "为什么", "哪里", "哪儿", "哪些", "可以", "能否", "能不能", "可不可以", "请问",
            "一下", "这个", "那个", "一个", "是不是", "有没有", "怎么办", "怎么弄", "应该", "已经", "还能", "还是", "就是",
            "我们", "你们", "他们", "我的", "你的", "的话", "需要", "要怎么", "是否", "一直", "好几", "了吗", "么",
            "的", "了", "吗", "呢", "吧", "啊", "呀", "哦", "嘛", "我", "你", "您", "他", "她", "这", "那", "哪", "是", "在", "么",
        ]);

    public static int MaxChineseLength => 4;

    public static bool IsEnglish(string word) => EnglishWords.Contains(word);

    public static bool IsChinese(ReadOnlySpan<char> text) => ChineseWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(text);
}
