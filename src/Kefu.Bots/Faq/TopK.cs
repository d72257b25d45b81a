namespace Kefu.Bots.Faq;

internal static class TopK
{
    /// <summary>Keeps the best <paramref name="limit"/> items, best first: k is 3 or 4, so insertion beats a heap.</summary>
    public static void Insert(List<(int Slot, float Score)> ranked, (int Slot, float Score) item, int limit)
    {
        var at = ranked.Count;
        while (at > 0 && ranked[at - 1].Score < item.Score)
        {
            at--;
        }
        if (at < limit)
        {
            ranked.Insert(at, item);
            if (ranked.Count > limit)
            {
                ranked.RemoveAt(ranked.Count - 1);
            }
        }
    }
}
