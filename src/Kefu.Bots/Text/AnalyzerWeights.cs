namespace Kefu.Bots.Text;

/// <summary>How much each kind of feature counts; concepts carry meaning across paraphrases.</summary>
internal sealed record AnalyzerWeights(float Concept = 3.0f, float Word = 1.0f, float Bigram = 1.0f, float Unigram = 0.4f)
{
    public static AnalyzerWeights Default { get; } = new();

    public float For(FeatureKind kind) => kind switch
    {
        FeatureKind.Concept => Concept,
        FeatureKind.Word => Word,
        FeatureKind.Bigram => Bigram,
        _ => Unigram,
    };
}
