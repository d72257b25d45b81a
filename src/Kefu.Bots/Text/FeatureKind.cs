namespace Kefu.Bots.Text;

internal enum FeatureKind
{
    Concept,
    Word,
    Bigram,
    Unigram,
}
