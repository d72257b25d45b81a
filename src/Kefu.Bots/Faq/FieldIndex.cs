namespace Kefu.Bots.Faq;

/// <summary>
/// An inverted index over one field (phrasings, or answers): term id to postings, with tf-idf cosine
/// scoring. Updates are incremental. A document's norm depends on every term's idf, which drifts as
/// the corpus grows; norms are recomputed lazily once the document count has moved by a tenth, so
/// an insert costs its own terms only. Not thread-safe: <see cref="FaqIndex"/> guards it.
/// </summary>
internal sealed class FieldIndex
{
    private readonly List<List<Posting>> _postings = [];
    private readonly List<Doc?> _docs = [];
    private readonly Stack<int> _free = new();
    private int _alive;
    private int _epoch;
    private int _epochCount;

    public int Capacity => _docs.Count;

    public int Owner(int doc) => _docs[doc]!.Owner;

    public int Add(int owner, int[] terms, float[] weights)
    {
        var id = _free.Count > 0 ? _free.Pop() : _docs.Count;
        var doc = new Doc(owner, terms, weights) { Epoch = -1 };
        if (id == _docs.Count)
        {
            _docs.Add(doc);
        }
        else
        {
            _docs[id] = doc;
        }
        for (var i = 0; i < terms.Length; i++)
        {
            while (_postings.Count <= terms[i])
            {
                _postings.Add([]);
            }
            _postings[terms[i]].Add(new Posting(id, weights[i]));
        }
        _alive++;
        MaybeAdvanceEpoch();
        return id;
    }

    public void Remove(int id)
    {
        var doc = _docs[id] ?? throw new InvalidOperationException("Document already removed.");
        foreach (var term in doc.Terms)
        {
            var list = _postings[term];
            var at = list.FindIndex(p => p.Doc == id);
            // Swap-remove: posting order carries no meaning.
            list[at] = list[^1];
            list.RemoveAt(list.Count - 1);
        }
        _docs[id] = null;
        _free.Push(id);
        _alive--;
        MaybeAdvanceEpoch();
    }

    /// <summary>Smoothed idf; a term absent from the field gets the highest idf, so unknown words lower the cosine.</summary>
    public float Idf(int term)
    {
        var df = term >= 0 && term < _postings.Count ? _postings[term].Count : 0;
        return MathF.Log(1f + ((_alive - df + 0.5f) / (df + 0.5f)));
    }

    /// <summary>Adds query·doc dot products into <paramref name="dots"/>, listing each touched doc once.</summary>
    public void Accumulate(ReadOnlySpan<int> terms, ReadOnlySpan<float> queryWeights, float[] dots, List<int> touched)
    {
        for (var i = 0; i < terms.Length; i++)
        {
            var term = terms[i];
            if (term < 0 || term >= _postings.Count)
            {
                continue;
            }
            var list = _postings[term];
            if (list.Count == 0)
            {
                continue;
            }
            var idf = Idf(term);
            var q = queryWeights[i] * idf * idf;
            foreach (var posting in list)
            {
                if (dots[posting.Doc] == 0f)
                {
                    touched.Add(posting.Doc);
                }
                dots[posting.Doc] += q * posting.Weight;
            }
        }
    }

    public float QueryNorm(ReadOnlySpan<int> terms, ReadOnlySpan<float> queryWeights)
    {
        var sum = 0f;
        for (var i = 0; i < terms.Length; i++)
        {
            var w = queryWeights[i] * Idf(terms[i]);
            sum += w * w;
        }
        return MathF.Sqrt(sum);
    }

    public float Norm(int id)
    {
        var doc = _docs[id]!;
        if (doc.Epoch != _epoch)
        {
            var sum = 0f;
            for (var i = 0; i < doc.Terms.Length; i++)
            {
                var w = doc.Weights[i] * Idf(doc.Terms[i]);
                sum += w * w;
            }
            doc.Norm = MathF.Sqrt(sum);
            doc.Epoch = _epoch;
        }
        return doc.Norm;
    }

    private void MaybeAdvanceEpoch()
    {
        if (Math.Abs(_alive - _epochCount) * 10 > _epochCount)
        {
            _epoch++;
            _epochCount = _alive;
        }
    }

    private readonly record struct Posting(int Doc, float Weight);

    private sealed class Doc(int owner, int[] terms, float[] weights)
    {
        public int Owner { get; } = owner;

        public int[] Terms { get; } = terms;

        public float[] Weights { get; } = weights;

        public float Norm { get; set; }

        public int Epoch { get; set; }
    }
}
