using Kefu.Core.Messaging;

namespace Kefu.Adapters.Tests;

public sealed class InProcessBusSpecificationTests : BusSpecification
{
    protected override IMessageBus CreateBus() => new InProcessBus();
}
