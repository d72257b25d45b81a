using Kefu.Bots.Text;
using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>
/// The FAQ knowledge base and its retrieval, in memory, thread-safe. Every phrasing of an entry
/// (question and alternates) is its own document and the entry scores as its best phrasing, lifted a
/// little by its answer's similarity; scores are tf-idf cosines over concept, word and character
/// n-gram features. <see cref="Upsert"/> takes effect for the very next search.
/// </summary>
public sealed class FaqIndex
{
    private const float AnswerLift = 0.25f;

    // An entry in the other language is usually the same question for other visitors: rank it below.
    private const float OtherLanguageFactor = 0.6f;

    private readonly Lock _gate = new();
    private readonly TextAnalyzer _analyzer;
    private readonly FaqOptions _options;
    private readonly Dictionary<string, int> _terms = new(StringComparer.Ordinal);
    private readonly FieldIndex _phrasings = new();
    private readonly FieldIndex _answers = new();
    private readonly Dictionary<string, int> _slotsById = new(StringComparer.Ordinal);
    private readonly List<Slot?> _slots = [];
    private readonly Stack<int> _freeSlots = new();

    // Scratch space reused under the lock, so a search allocates only its result.
    private float[] _dots = [];
    private float[] _best = [];
    private float[] _answerScores = [];
    private readonly List<int> _touchedDocs = [];
    private readonly List<int> _touchedEntries = [];

    public FaqIndex(FaqOptions? options = null)
        : this(options, Lexicon.LoadDefault(), AnalyzerWeights.Default)
    {
    }

    internal FaqIndex(FaqOptions? options, Lexicon lexicon, AnalyzerWeights weights)
    {
        _options = options ?? new FaqOptions();
        _options.Validate();
        _analyzer = new TextAnalyzer(lexicon, weights);
    }

    public FaqOptions Options => _options;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slotsById.Count;
            }
        }
    }

    /// <summary>Adds the entry, or replaces the one with the same id.</summary>
    public void Upsert(FaqEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var phrasings = new List<Dictionary<string, float>>(entry.Alternates.Count + 1) { _analyzer.Analyze(entry.Question) };
        foreach (var alternate in entry.Alternates)
        {
            phrasings.Add(_analyzer.Analyze(alternate));
        }
        var answer = _analyzer.Analyze(entry.Answer);
        lock (_gate)
        {
            RemoveLocked(entry.Id);
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
            var docs = new int[phrasings.Count];
            for (var i = 0; i < phrasings.Count; i++)
            {
                var (terms, weights) = Intern(phrasings[i]);
                docs[i] = _phrasings.Add(slot, terms, weights);
            }
            var (answerTerms, answerWeights) = Intern(answer);
            var record = new Slot(entry, docs, _answers.Add(slot, answerTerms, answerWeights), Script.IsMostlyChinese(entry.Question));
            if (slot == _slots.Count)
            {
                _slots.Add(record);
            }
            else
            {
                _slots[slot] = record;
            }
            _slotsById[entry.Id] = slot;
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return RemoveLocked(id);
        }
    }

    public FaqEntry? Get(string id)
    {
        lock (_gate)
        {
            return _slotsById.TryGetValue(id, out var slot) ? _slots[slot]!.Entry : null;
        }
    }

    /// <summary>Whether the site has at least one entry (without copying the list).</summary>
    public bool HasEntries(string siteId)
    {
        lock (_gate)
        {
            foreach (var slot in _slots)
            {
                if (slot is not null && slot.Entry.SiteId == siteId)
                {
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>Entries of one site (all sites when null), ordered by id.</summary>
    public IReadOnlyList<FaqEntry> List(string? siteId = null)
    {
        lock (_gate)
        {
            var list = new List<FaqEntry>(_slotsById.Count);
            foreach (var slot in _slots)
            {
                if (slot is not null && (siteId is null || slot.Entry.SiteId == siteId))
                {
                    list.Add(slot.Entry);
                }
            }
            list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            return list;
        }
    }

    /// <summary>Adds a phrasing to an entry (the learning loop's "approve"); false when the entry is gone.</summary>
    public bool AddAlternate(string id, string phrasing)
    {
        var entry = Get(id);
        if (entry is null)
        {
            return false;
        }
        if (!entry.Alternates.Contains(phrasing, StringComparer.Ordinal) && entry.Question != phrasing)
        {
            Upsert(entry with { Alternates = [.. entry.Alternates, phrasing] });
        }
        return true;
    }

    public FaqSearchResult Search(string siteId, string question, int top = 3)
    {
        ArgumentNullException.ThrowIfNull(siteId);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var features = _analyzer.Analyze(question);
        if (features.Count == 0)
        {
            return FaqSearchResult.None;
        }
        var terms = new int[features.Count];
        var weights = new float[features.Count];
        lock (_gate)
        {
            var n = 0;
            foreach (var (term, weight) in features)
            {
                terms[n] = _terms.TryGetValue(term, out var id) ? id : -1;
                weights[n++] = weight;
            }
            return SearchLocked(siteId, terms, weights, Script.IsMostlyChinese(question), top);
        }
    }

    private FaqSearchResult SearchLocked(string siteId, int[] terms, float[] weights, bool chinese, int top)
    {
        EnsureScratch();
        var matches = new List<(int Slot, float Score)>(top + 1);
        try
        {
            var queryNorm = _phrasings.QueryNorm(terms, weights);
            _phrasings.Accumulate(terms, weights, _dots, _touchedDocs);
            foreach (var doc in _touchedDocs)
            {
                var cosine = _dots[doc] / (queryNorm * _phrasings.Norm(doc));
                var slot = _phrasings.Owner(doc);
                if (_best[slot] == 0f)
                {
                    _touchedEntries.Add(slot);
                }
                _best[slot] = MathF.Max(_best[slot], cosine);
                _dots[doc] = 0f;
            }
            _touchedDocs.Clear();

            var answerNorm = _answers.QueryNorm(terms, weights);
            _answers.Accumulate(terms, weights, _dots, _touchedDocs);
            foreach (var doc in _touchedDocs)
            {
                _answerScores[_answers.Owner(doc)] = _dots[doc] / (answerNorm * _answers.Norm(doc));
                _dots[doc] = 0f;
            }

            foreach (var slot in _touchedEntries)
            {
                var record = _slots[slot]!;
                if (record.Entry.SiteId != siteId)
                {
                    continue;
                }
                var best = _best[slot];
                var score = best + (AnswerLift * (1f - best) * _answerScores[slot]);
                if (record.Chinese != chinese)
                {
                    score *= OtherLanguageFactor;
                }
                TopK.Insert(matches, (slot, score), top + 1);
            }
        }
        finally
        {
            foreach (var doc in _touchedDocs)
            {
                _dots[doc] = 0f;
            }
            foreach (var slot in _touchedEntries)
            {
                _best[slot] = 0f;
            }
            foreach (var doc in _touchedDocs)
            {
                _answerScores[_answers.Owner(doc)] = 0f;
            }
            _touchedDocs.Clear();
            _touchedEntries.Clear();
        }
        return Calibrate(matches, top);
    }

    private FaqSearchResult Calibrate(List<(int Slot, float Score)> ranked, int top)
    {
        if (ranked.Count == 0)
        {
            return FaqSearchResult.None;
        }
        var second = ranked.Count > 1 ? ranked[1].Score : 0f;
        var result = new List<FaqMatch>(Math.Min(top, ranked.Count));
        for (var i = 0; i < ranked.Count && i < top; i++)
        {
            var (slot, score) = ranked[i];
            var confidence = i == 0 ? ConfidenceCalibrator.Confidence(score, second) : ConfidenceCalibrator.Confidence(score, ranked[0].Score);
            result.Add(new FaqMatch(_slots[slot]!.Entry, score, confidence));
        }
        var topConfidence = result[0].Confidence;
        var band = topConfidence >= _options.AnswerThreshold ? FaqBand.Answer
            : topConfidence >= _options.SuggestThreshold ? FaqBand.Suggest
            : FaqBand.Unknown;
        return new FaqSearchResult(result, band);
    }

    private bool RemoveLocked(string id)
    {
        if (!_slotsById.Remove(id, out var slot))
        {
            return false;
        }
        var record = _slots[slot]!;
        foreach (var doc in record.PhrasingDocs)
        {
            _phrasings.Remove(doc);
        }
        _answers.Remove(record.AnswerDoc);
        _slots[slot] = null;
        _freeSlots.Push(slot);
        return true;
    }

    private (int[] Terms, float[] Weights) Intern(Dictionary<string, float> features)
    {
        var terms = new int[features.Count];
        var weights = new float[features.Count];
        var n = 0;
        foreach (var (term, weight) in features)
        {
            if (!_terms.TryGetValue(term, out var id))
            {
                id = _terms.Count;
                _terms.Add(term, id);
            }
            terms[n] = id;
            weights[n++] = weight;
        }
        return (terms, weights);
    }

    private void EnsureScratch()
    {
        var docs = Math.Max(_phrasings.Capacity, _answers.Capacity);
        if (_dots.Length < docs)
        {
            _dots = new float[docs * 2];
        }
        if (_best.Length < _slots.Count)
        {
            _best = new float[_slots.Count * 2];
            _answerScores = new float[_slots.Count * 2];
        }
    }

    private sealed record Slot(FaqEntry Entry, int[] PhrasingDocs, int AnswerDoc, bool Chinese);
}
