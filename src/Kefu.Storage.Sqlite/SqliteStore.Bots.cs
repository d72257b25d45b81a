using Kefu.Core.Bots;
using Kefu.Storage.Sqlite.Bots;
using Kefu.Storage.Sqlite.Reading;

namespace Kefu.Storage.Sqlite;

public sealed partial class SqliteStore
{
    private IFaqStore? _faq;
    private ILearningStore? _learning;
    private IBotFlowStore? _botFlow;

    /// <summary>The bot's FAQ entries on this store.</summary>
    public IFaqStore Faq => _faq ??= new SqliteFaqStore(_writer, new SqliteReader(_connections), _time);

    /// <summary>The bot's learning loop (unanswered questions, suggestions) on this store.</summary>
    public ILearningStore Learning => _learning ??= new SqliteLearningStore(_writer, new SqliteReader(_connections));

    /// <summary>The bot's settings, rules and sessions on this store.</summary>
    public IBotFlowStore BotFlow => _botFlow ??= new SqliteBotFlowStore(_writer, new SqliteReader(_connections), _time);
}
