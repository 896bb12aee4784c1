// The reference workload's fixed world: providers, a 200-SKU price catalogue, Texas state
// agencies with their cost centers and account codes, and the deterministic random numbers that
// shape them. Used by gen_usage only.
//
// Determinism: everything derives from the seed through splitmix64/xoshiro256** and integer
// arithmetic (log-normal quantities use a fixed-point exp), so the output is byte-identical on
// every machine and standard library; no floating point and no std distributions.
#pragma once
#include <algorithm>
#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace ratebook::bench {

// ---- random numbers -----------------------------------------------------------------------------

inline uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// xoshiro256** (Blackman and Vigna), seeded from splitmix64 as its authors recommend. A stream
// is named by (seed, purpose, a, b) so that e.g. a resource's day-7 quantity does not depend on
// how many numbers other resources drew.
class Rng {
public:
    explicit Rng(uint64_t seed, uint64_t purpose = 0, uint64_t a = 0, uint64_t b = 0) {
        uint64_t sm = seed;
        for (uint64_t v : {purpose, a, b}) {
            splitmix64(sm);
            sm ^= v * 0xD1342543DE82EF95ull;
        }
        for (auto& word : s_) word = splitmix64(sm);
    }
    uint64_t next() {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    // Uniform in [0, n): the modulo bias (n / 2^64) is far below anything a benchmark can see.
    uint64_t below(uint64_t n) { return next() % n; }
    // Approximately standard normal, in Q32 fixed point: Irwin-Hall, the sum of 12 uniforms
    // minus 6 (mean 0, variance 1, tails cut at +-6 sigma, which is fine for shaping usage).
    int64_t normal_q32() {
        int64_t sum = 0;
        for (int k = 0; k < 12; ++k) sum += static_cast<int64_t>(next() >> 32);
        return sum - (int64_t{6} << 32);
    }

private:
    static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    uint64_t s_[4];
};

// e^(x / 2^32) in Q32, integers only: 2^(x log2 e) split into a shift and 2^f for f in [0, 1),
// the latter by its Taylor series (12 terms: exact to the last Q32 bit for f < 1).
inline unsigned __int128 exp_q32(int64_t x) {
    constexpr int64_t log2e_q32 = 6196328019;  // log2(e) x 2^32
    constexpr uint64_t ln2_q32 = 2977044472;   // ln(2) x 2^32
    const __int128 y = (static_cast<__int128>(x) * log2e_q32) >> 32;
    const int64_t whole = static_cast<int64_t>(y >> 32);  // floor
    const uint64_t frac = static_cast<uint64_t>(y - (static_cast<__int128>(whole) << 32));
    const uint64_t t = static_cast<uint64_t>((static_cast<unsigned __int128>(frac) * ln2_q32) >> 32);
    uint64_t term = uint64_t{1} << 32, sum = term;
    for (uint64_t k = 1; k <= 12; ++k) {
        term = static_cast<uint64_t>((static_cast<unsigned __int128>(term) * t) >> 32) / k;
        sum += term;
    }
    if (whole >= 0) return static_cast<unsigned __int128>(sum) << whole;
    return whole <= -64 ? 0 : sum >> -whole;
}

// Picks an index with probability proportional to weights (given as a running total).
inline size_t pick_weighted(const std::vector<uint64_t>& cumulative, Rng& rng) {
    const uint64_t r = rng.below(cumulative.back());
    return static_cast<size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) - cumulative.begin());
}

// ---- exact fixed-point numbers ------------------------------------------------------------------

constexpr int64_t price_scale = 10'000'000'000;  // prices and costs: 10 decimal places
constexpr int64_t quantity_scale = 1'000'000;    // quantities: 6 decimal places

// "0.0961" -> 961000000 (units of 10^-10). For the literals of the table below only.
inline int64_t parse_price(std::string_view text) {
    int64_t whole = 0, frac = 0;
    int places = 0;
    bool after_point = false;
    for (char c : text) {
        if (c == '.') {
            after_point = true;
        } else if (after_point) {
            frac = frac * 10 + (c - '0');
            ++places;
        } else {
            whole = whole * 10 + (c - '0');
        }
    }
    if (places > 10) throw std::logic_error("price literal with more than 10 places");
    for (; places < 10; ++places) frac *= 10;
    return whole * price_scale + frac;
}

// value / divisor rounded half to even (value >= 0).
inline unsigned __int128 divide_half_even(unsigned __int128 value, unsigned __int128 divisor) {
    unsigned __int128 q = value / divisor, r = value % divisor;
    if (r * 2 > divisor || (r * 2 == divisor && (q & 1))) ++q;
    return q;
}

// A non-negative fixed-point number with exactly `places` decimals: (1234567, 6) -> "1.234567".
inline std::string fixed_text(unsigned __int128 value, int places) {
    char digits[64];
    int n = 0;
    do {
        digits[n++] = static_cast<char>('0' + static_cast<int>(value % 10));
        value /= 10;
    } while (value != 0 || n <= places);
    std::string out;
    out.reserve(static_cast<size_t>(n) + 1);
    for (int k = n - 1; k >= 0; --k) {
        out += digits[k];
        if (k == places && places > 0) out += '.';
    }
    return out;
}

// A price without trailing zeros: 961000000 -> "0.0961", 50000000000 -> "5".
inline std::string price_text(int64_t price) {
    std::string text = fixed_text(static_cast<unsigned __int128>(price), 10);
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
    return text;
}

// ---- providers ----------------------------------------------------------------------------------

struct Provider {
    const char* name;              // ProviderName
    const char* publisher;         // PublisherName and InvoiceIssuerName
    const char* short_name;        // in rule names
    const char* billing_account_id;
    const char* billing_account_name;
    const char* regions[2];        // each template is sold in the first region, some in the second
    int discount_basis_points;     // negotiated discount of BilledCost below ListCost
    int sub_accounts;              // of the 500
};

inline const Provider providers[3] = {
    {"AWS", "Amazon Web Services, Inc.", "AWS", "458237901646", "DIR Cloud AWS",
     {"us-east-1", "us-west-2"}, 600, 250},
    {"Microsoft", "Microsoft", "Azure", "8611537", "DIR Cloud Azure EA",
     {"southcentralus", "centralus"}, 450, 150},
    {"Google Cloud", "Google", "GCP", "01A2B3-C4D5E6-F7A8B9", "DIR Cloud Google",
     {"us-south1", "us-central1"}, 500, 100},
};

// ---- the SKU catalogue --------------------------------------------------------------------------

struct SkuTemplate {
    int provider;          // index into providers
    const char* category;  // ServiceCategory
    const char* service;   // ServiceName
    const char* code;      // the provider's service code, used in rule names
    const char* usage;     // usage type or meter
    const char* unit;      // PricingUnit
    const char* price;     // list price in USD per unit
    const char* resource;  // ResourceId pattern: {acct} {region} {name} {hex} {rg}
};

// Public list prices, rounded; one row per billable meter, as the providers' FOCUS exports name them.
inline const SkuTemplate sku_templates[] = {
    // AWS
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:m5.large", "Hours", "0.096", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:m5.xlarge", "Hours", "0.192", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:m5.2xlarge", "Hours", "0.384", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:c5.xlarge", "Hours", "0.17", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:r5.xlarge", "Hours", "0.252", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:t3.medium", "Hours", "0.0416", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:m6i.large", "Hours", "0.096", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "Amazon Elastic Compute Cloud", "AmazonEC2", "BoxUsage:c6g.large", "Hours", "0.068", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Compute", "AWS Lambda", "AWSLambda", "Request", "Requests", "0.0000002", "arn:aws:lambda:{region}:{acct}:function:{name}"},
    {0, "Compute", "Amazon Elastic Container Service", "AmazonECS", "Fargate-vCPU-Hours:perCPU", "Hours", "0.04048", "arn:aws:ecs:{region}:{acct}:service/{name}/{hex}"},
    {0, "Storage", "Amazon Simple Storage Service", "AmazonS3", "TimedStorage-ByteHrs", "GB-Mo", "0.023", "arn:aws:s3:::{name}"},
    {0, "Storage", "Amazon Simple Storage Service", "AmazonS3", "TimedStorage-SIA-ByteHrs", "GB-Mo", "0.0125", "arn:aws:s3:::{name}"},
    {0, "Storage", "Amazon Simple Storage Service", "AmazonS3", "TimedStorage-GlacierByteHrs", "GB-Mo", "0.0036", "arn:aws:s3:::{name}"},
    {0, "Storage", "Amazon Simple Storage Service", "AmazonS3", "Requests-Tier1", "Requests", "0.000005", "arn:aws:s3:::{name}"},
    {0, "Storage", "Amazon Simple Storage Service", "AmazonS3", "Requests-Tier2", "Requests", "0.0000004", "arn:aws:s3:::{name}"},
    {0, "Storage", "Amazon Elastic Compute Cloud", "AmazonEC2", "EBS:VolumeUsage.gp3", "GB-Mo", "0.08", "arn:aws:ec2:{region}:{acct}:volume/vol-{hex}"},
    {0, "Storage", "Amazon Elastic Compute Cloud", "AmazonEC2", "EBS:SnapshotUsage", "GB-Mo", "0.05", "arn:aws:ec2:{region}:{acct}:snapshot/snap-{hex}"},
    {0, "Storage", "Amazon Elastic File System", "AmazonEFS", "TimedStorage-ByteHrs", "GB-Mo", "0.30", "arn:aws:elasticfilesystem:{region}:{acct}:file-system/fs-{hex}"},
    {0, "Databases", "Amazon Relational Database Service", "AmazonRDS", "InstanceUsage:db.m5.large", "Hours", "0.171", "arn:aws:rds:{region}:{acct}:db:{name}"},
    {0, "Databases", "Amazon Relational Database Service", "AmazonRDS", "InstanceUsage:db.r5.xlarge", "Hours", "0.50", "arn:aws:rds:{region}:{acct}:db:{name}"},
    {0, "Databases", "Amazon Relational Database Service", "AmazonRDS", "Multi-AZUsage:db.m5.large", "Hours", "0.342", "arn:aws:rds:{region}:{acct}:db:{name}"},
    {0, "Databases", "Amazon Relational Database Service", "AmazonRDS", "RDS:GP3-Storage", "GB-Mo", "0.115", "arn:aws:rds:{region}:{acct}:db:{name}"},
    {0, "Databases", "Amazon DynamoDB", "AmazonDynamoDB", "ReadRequestUnits", "Requests", "0.00000025", "arn:aws:dynamodb:{region}:{acct}:table/{name}"},
    {0, "Databases", "Amazon DynamoDB", "AmazonDynamoDB", "WriteRequestUnits", "Requests", "0.00000125", "arn:aws:dynamodb:{region}:{acct}:table/{name}"},
    {0, "Databases", "Amazon DynamoDB", "AmazonDynamoDB", "TimedStorage-ByteHrs", "GB-Mo", "0.25", "arn:aws:dynamodb:{region}:{acct}:table/{name}"},
    {0, "Databases", "Amazon ElastiCache", "AmazonElastiCache", "NodeUsage:cache.m5.large", "Hours", "0.156", "arn:aws:elasticache:{region}:{acct}:cluster:{name}"},
    {0, "Networking", "AWS Data Transfer", "AWSDataTransfer", "DataTransfer-Out-Bytes", "GB", "0.09", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Networking", "AWS Data Transfer", "AWSDataTransfer", "DataTransfer-Regional-Bytes", "GB", "0.01", "arn:aws:ec2:{region}:{acct}:instance/i-{hex}"},
    {0, "Networking", "Amazon Virtual Private Cloud", "AmazonVPC", "NatGateway-Hours", "Hours", "0.045", "arn:aws:ec2:{region}:{acct}:natgateway/nat-{hex}"},
    {0, "Networking", "Amazon Virtual Private Cloud", "AmazonVPC", "NatGateway-Bytes", "GB", "0.045", "arn:aws:ec2:{region}:{acct}:natgateway/nat-{hex}"},
    {0, "Networking", "Elastic Load Balancing", "AWSELB", "LoadBalancerUsage", "Hours", "0.0225", "arn:aws:elasticloadbalancing:{region}:{acct}:loadbalancer/app/{name}/{hex}"},
    {0, "Networking", "Amazon CloudFront", "AmazonCloudFront", "DataTransfer-Out-Bytes", "GB", "0.085", "arn:aws:cloudfront::{acct}:distribution/E{hex}"},
    {0, "Networking", "Amazon Route 53", "AmazonRoute53", "DNS-Queries", "Requests", "0.0000004", "arn:aws:route53:::hostedzone/Z{hex}"},
    {0, "AI and Machine Learning", "Amazon Bedrock", "AmazonBedrock", "Claude3.5Sonnet-input-tokens", "1K tokens", "0.003", "arn:aws:bedrock:{region}:{acct}:application-inference-profile/{name}"},
    {0, "AI and Machine Learning", "Amazon Bedrock", "AmazonBedrock", "Claude3.5Sonnet-output-tokens", "1K tokens", "0.015", "arn:aws:bedrock:{region}:{acct}:application-inference-profile/{name}"},
    {0, "AI and Machine Learning", "Amazon Bedrock", "AmazonBedrock", "TitanEmbeddingsV2-input-tokens", "1K tokens", "0.00002", "arn:aws:bedrock:{region}:{acct}:application-inference-profile/{name}"},
    {0, "AI and Machine Learning", "Amazon SageMaker", "AmazonSageMaker", "Hosting:ml.m5.xlarge", "Hours", "0.23", "arn:aws:sagemaker:{region}:{acct}:endpoint/{name}"},
    {0, "AI and Machine Learning", "Amazon SageMaker", "AmazonSageMaker", "Train:ml.g5.xlarge", "Hours", "1.408", "arn:aws:sagemaker:{region}:{acct}:training-job/{name}"},
    {0, "AI and Machine Learning", "Amazon Textract", "AmazonTextract", "AnalyzeDocument-Forms", "Requests", "0.05", "arn:aws:textract:{region}:{acct}:adapter/{name}"},
    {0, "Analytics", "Amazon Athena", "AmazonAthena", "DataScannedInTB", "GB", "0.0048828125", "arn:aws:athena:{region}:{acct}:workgroup/{name}"},
    {0, "Analytics", "Amazon Redshift", "AmazonRedshift", "Node:ra3.xlplus", "Hours", "1.086", "arn:aws:redshift:{region}:{acct}:cluster:{name}"},
    {0, "Analytics", "AWS Glue", "AWSGlue", "ETL-DPU-Hour", "Hours", "0.44", "arn:aws:glue:{region}:{acct}:job/{name}"},
    {0, "Analytics", "Amazon Kinesis", "AmazonKinesis", "Storage-ShardHour", "Hours", "0.015", "arn:aws:kinesis:{region}:{acct}:stream/{name}"},
    {0, "Analytics", "Amazon OpenSearch Service", "AmazonES", "ESInstance:r6g.large.search", "Hours", "0.167", "arn:aws:es:{region}:{acct}:domain/{name}"},
    // Microsoft Azure
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "D2s v5", "Hours", "0.096", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "D4s v5", "Hours", "0.192", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "D8s v5", "Hours", "0.384", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "E4s v5", "Hours", "0.252", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "B2ms", "Hours", "0.0832", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "F4s v2", "Hours", "0.169", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Virtual Machines", "Microsoft.Compute", "D4as v5", "Hours", "0.172", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}"},
    {1, "Compute", "Functions", "Microsoft.Web", "Standard Total Executions", "Requests", "0.0000002", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Web/sites/{name}"},
    {1, "Compute", "Azure Kubernetes Service", "Microsoft.ContainerService", "Standard Uptime SLA", "Hours", "0.10", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}"},
    {1, "Compute", "Azure App Service", "Microsoft.Web", "P1 v3 App", "Hours", "0.20", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Web/serverfarms/{name}"},
    {1, "Storage", "Azure Blob Storage", "Microsoft.Storage", "Hot LRS Data Stored", "GB-Mo", "0.0184", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}"},
    {1, "Storage", "Azure Blob Storage", "Microsoft.Storage", "Cool LRS Data Stored", "GB-Mo", "0.01", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}"},
    {1, "Storage", "Azure Blob Storage", "Microsoft.Storage", "Archive LRS Data Stored", "GB-Mo", "0.00099", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}"},
    {1, "Storage", "Azure Blob Storage", "Microsoft.Storage", "Hot LRS Write Operations", "Requests", "0.0000065", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}"},
    {1, "Storage", "Azure Blob Storage", "Microsoft.Storage", "Hot Read Operations", "Requests", "0.00000052", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}"},
    {1, "Storage", "Managed Disks", "Microsoft.Compute", "P30 LRS Disk", "GB-Mo", "0.12", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Compute/disks/{name}"},
    {1, "Storage", "Azure Files", "Microsoft.Storage", "Hot LRS File Data Stored", "GB-Mo", "0.0255", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}"},
    {1, "Databases", "Azure SQL Database", "Microsoft.Sql", "vCore General Purpose Gen5", "Hours", "0.5044", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{name}"},
    {1, "Databases", "Azure SQL Database", "Microsoft.Sql", "General Purpose Data Stored", "GB-Mo", "0.115", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{name}"},
    {1, "Databases", "Azure SQL Database", "Microsoft.Sql", "Hyperscale vCore", "Hours", "0.3654", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Sql/servers/{name}"},
    {1, "Databases", "Azure Cosmos DB", "Microsoft.DocumentDB", "100 RU/s", "Hours", "0.008", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.DocumentDB/databaseAccounts/{name}"},
    {1, "Databases", "Azure Cosmos DB", "Microsoft.DocumentDB", "Data Stored", "GB-Mo", "0.25", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.DocumentDB/databaseAccounts/{name}"},
    {1, "Databases", "Azure Database for PostgreSQL", "Microsoft.DBforPostgreSQL", "Flexible Server D2ds v4", "Hours", "0.178", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.DBforPostgreSQL/flexibleServers/{name}"},
    {1, "Databases", "Azure Cache for Redis", "Microsoft.Cache", "C1 Standard Cache", "Hours", "0.101", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Cache/Redis/{name}"},
    {1, "Networking", "Bandwidth", "Microsoft.Network", "Standard Data Transfer Out", "GB", "0.087", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Network/publicIPAddresses/{name}"},
    {1, "Networking", "Virtual Network", "Microsoft.Network", "Intra-Region VNet Peering Ingress", "GB", "0.01", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{name}"},
    {1, "Networking", "Load Balancer", "Microsoft.Network", "Standard Data Processed", "GB", "0.005", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Network/loadBalancers/{name}"},
    {1, "Networking", "Load Balancer", "Microsoft.Network", "Standard Overage LB Rules", "Hours", "0.01", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Network/loadBalancers/{name}"},
    {1, "Networking", "VPN Gateway", "Microsoft.Network", "VpnGw1", "Hours", "0.19", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworkGateways/{name}"},
    {1, "Networking", "Azure DNS", "Microsoft.Network", "Public Queries", "Requests", "0.0000004", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Network/dnszones/{name}"},
    {1, "Networking", "Azure Front Door", "Microsoft.Cdn", "Standard Data Transfer Out", "GB", "0.083", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Cdn/profiles/{name}"},
    {1, "AI and Machine Learning", "Azure OpenAI", "Microsoft.CognitiveServices", "gpt-4o Input Tokens", "1K tokens", "0.0025", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}"},
    {1, "AI and Machine Learning", "Azure OpenAI", "Microsoft.CognitiveServices", "gpt-4o Output Tokens", "1K tokens", "0.01", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}"},
    {1, "AI and Machine Learning", "Azure OpenAI", "Microsoft.CognitiveServices", "gpt-4o-mini Input Tokens", "1K tokens", "0.000165", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}"},
    {1, "AI and Machine Learning", "Azure OpenAI", "Microsoft.CognitiveServices", "text-embedding-3-small Tokens", "1K tokens", "0.00002", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}"},
    {1, "AI and Machine Learning", "Azure Machine Learning", "Microsoft.MachineLearningServices", "NCasT4 v3 Compute", "Hours", "0.526", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.MachineLearningServices/workspaces/{name}"},
    {1, "AI and Machine Learning", "Azure AI Search", "Microsoft.Search", "Standard S1 Unit", "Hours", "0.336", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Search/searchServices/{name}"},
    {1, "Analytics", "Azure Synapse Analytics", "Microsoft.Synapse", "Serverless SQL Data Processed", "GB", "0.0048828125", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Synapse/workspaces/{name}"},
    {1, "Analytics", "Azure Data Factory", "Microsoft.DataFactory", "Cloud Orchestration Activity Run", "Requests", "0.001", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.DataFactory/factories/{name}"},
    {1, "Analytics", "Azure Databricks", "Microsoft.Databricks", "Premium All-purpose Compute DBU", "Hours", "0.55", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Databricks/workspaces/{name}"},
    {1, "Analytics", "Event Hubs", "Microsoft.EventHub", "Standard Throughput Unit", "Hours", "0.03", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.EventHub/namespaces/{name}"},
    {1, "Analytics", "Microsoft Fabric", "Microsoft.Fabric", "Capacity Unit", "Hours", "0.18", "/subscriptions/{acct}/resourceGroups/{rg}/providers/Microsoft.Fabric/capacities/{name}"},
    // Google Cloud
    {2, "Compute", "Compute Engine", "ComputeEngine", "N2 Instance Core running in Americas", "Hours", "0.031611", "//compute.googleapis.com/projects/{acct}/zones/{region}-a/instances/{name}"},
    {2, "Compute", "Compute Engine", "ComputeEngine", "N2 Instance Ram running in Americas", "Hours", "0.004237", "//compute.googleapis.com/projects/{acct}/zones/{region}-a/instances/{name}"},
    {2, "Compute", "Compute Engine", "ComputeEngine", "E2 Instance Core running in Americas", "Hours", "0.021811", "//compute.googleapis.com/projects/{acct}/zones/{region}-b/instances/{name}"},
    {2, "Compute", "Compute Engine", "ComputeEngine", "E2 Instance Ram running in Americas", "Hours", "0.002923", "//compute.googleapis.com/projects/{acct}/zones/{region}-b/instances/{name}"},
    {2, "Compute", "Compute Engine", "ComputeEngine", "C3 Instance Core running in Americas", "Hours", "0.03465", "//compute.googleapis.com/projects/{acct}/zones/{region}-c/instances/{name}"},
    {2, "Compute", "Cloud Run", "CloudRun", "CPU Allocation Time", "Hours", "0.0864", "//run.googleapis.com/projects/{acct}/locations/{region}/services/{name}"},
    {2, "Compute", "Cloud Run", "CloudRun", "Requests", "Requests", "0.0000004", "//run.googleapis.com/projects/{acct}/locations/{region}/services/{name}"},
    {2, "Compute", "Kubernetes Engine", "KubernetesEngine", "Regional Kubernetes Clusters", "Hours", "0.10", "//container.googleapis.com/projects/{acct}/locations/{region}/clusters/{name}"},
    {2, "Storage", "Cloud Storage", "CloudStorage", "Standard Storage US Multi-region", "GB-Mo", "0.026", "//storage.googleapis.com/projects/_/buckets/{name}"},
    {2, "Storage", "Cloud Storage", "CloudStorage", "Nearline Storage US Multi-region", "GB-Mo", "0.01", "//storage.googleapis.com/projects/_/buckets/{name}"},
    {2, "Storage", "Cloud Storage", "CloudStorage", "Coldline Storage US Multi-region", "GB-Mo", "0.004", "//storage.googleapis.com/projects/_/buckets/{name}"},
    {2, "Storage", "Cloud Storage", "CloudStorage", "Archive Storage US Multi-region", "GB-Mo", "0.0012", "//storage.googleapis.com/projects/_/buckets/{name}"},
    {2, "Storage", "Cloud Storage", "CloudStorage", "Multi-Region Standard Class A Operations", "Requests", "0.00001", "//storage.googleapis.com/projects/_/buckets/{name}"},
    {2, "Storage", "Cloud Storage", "CloudStorage", "Multi-Region Standard Class B Operations", "Requests", "0.0000004", "//storage.googleapis.com/projects/_/buckets/{name}"},
    {2, "Storage", "Compute Engine", "ComputeEngine", "SSD backed PD Capacity", "GB-Mo", "0.17", "//compute.googleapis.com/projects/{acct}/zones/{region}-a/disks/{name}"},
    {2, "Storage", "Compute Engine", "ComputeEngine", "Balanced PD Capacity", "GB-Mo", "0.10", "//compute.googleapis.com/projects/{acct}/zones/{region}-a/disks/{name}"},
    {2, "Storage", "Filestore", "Filestore", "Filestore Basic HDD Capacity", "GB-Mo", "0.16", "//file.googleapis.com/projects/{acct}/locations/{region}-a/instances/{name}"},
    {2, "Databases", "Cloud SQL", "CloudSQL", "Cloud SQL for PostgreSQL: Zonal - vCPU", "Hours", "0.0413", "//cloudsql.googleapis.com/projects/{acct}/instances/{name}"},
    {2, "Databases", "Cloud SQL", "CloudSQL", "Cloud SQL for PostgreSQL: Zonal - RAM", "Hours", "0.007", "//cloudsql.googleapis.com/projects/{acct}/instances/{name}"},
    {2, "Databases", "Cloud SQL", "CloudSQL", "Cloud SQL for PostgreSQL: Zonal - Standard storage", "GB-Mo", "0.17", "//cloudsql.googleapis.com/projects/{acct}/instances/{name}"},
    {2, "Databases", "Cloud Spanner", "CloudSpanner", "Spanner Regional Compute Node", "Hours", "0.90", "//spanner.googleapis.com/projects/{acct}/instances/{name}"},
    {2, "Databases", "Cloud Firestore", "CloudFirestore", "Cloud Firestore Read Ops", "Requests", "0.0000006", "//firestore.googleapis.com/projects/{acct}/databases/{name}"},
    {2, "Databases", "Cloud Memorystore for Redis", "CloudMemorystore", "Redis Standard M1 Capacity", "Hours", "0.049", "//redis.googleapis.com/projects/{acct}/locations/{region}/instances/{name}"},
    {2, "Databases", "Cloud Bigtable", "CloudBigtable", "Bigtable Node", "Hours", "0.65", "//bigtableadmin.googleapis.com/projects/{acct}/instances/{name}"},
    {2, "Networking", "Networking", "Networking", "Network Internet Egress from Americas to Americas", "GB", "0.12", "//compute.googleapis.com/projects/{acct}/regions/{region}/addresses/{name}"},
    {2, "Networking", "Networking", "Networking", "Network Inter Region Data Transfer Out", "GB", "0.02", "//compute.googleapis.com/projects/{acct}/regions/{region}/addresses/{name}"},
    {2, "Networking", "Networking", "Networking", "Cloud NAT Gateway Uptime", "Hours", "0.0014", "//compute.googleapis.com/projects/{acct}/regions/{region}/routers/{name}"},
    {2, "Networking", "Networking", "Networking", "Cloud NAT Data Processing", "GB", "0.045", "//compute.googleapis.com/projects/{acct}/regions/{region}/routers/{name}"},
    {2, "Networking", "Cloud Load Balancing", "CloudLoadBalancing", "Global External Application Load Balancer Forwarding Rule", "Hours", "0.025", "//compute.googleapis.com/projects/{acct}/global/forwardingRules/{name}"},
    {2, "Networking", "Cloud CDN", "CloudCDN", "Cache Egress North America", "GB", "0.08", "//compute.googleapis.com/projects/{acct}/global/backendServices/{name}"},
    {2, "Networking", "Cloud DNS", "CloudDNS", "DNS Query (port 53)", "Requests", "0.0000004", "//dns.googleapis.com/projects/{acct}/managedZones/{name}"},
    {2, "AI and Machine Learning", "Vertex AI", "VertexAI", "Gemini 1.5 Pro Input Text", "1K tokens", "0.00125", "//aiplatform.googleapis.com/projects/{acct}/locations/{region}/endpoints/{name}"},
    {2, "AI and Machine Learning", "Vertex AI", "VertexAI", "Gemini 1.5 Pro Output Text", "1K tokens", "0.005", "//aiplatform.googleapis.com/projects/{acct}/locations/{region}/endpoints/{name}"},
    {2, "AI and Machine Learning", "Vertex AI", "VertexAI", "Gemini 1.5 Flash Input Text", "1K tokens", "0.000075", "//aiplatform.googleapis.com/projects/{acct}/locations/{region}/endpoints/{name}"},
    {2, "AI and Machine Learning", "Vertex AI", "VertexAI", "Gemini 1.5 Flash Output Text", "1K tokens", "0.0003", "//aiplatform.googleapis.com/projects/{acct}/locations/{region}/endpoints/{name}"},
    {2, "AI and Machine Learning", "Vertex AI", "VertexAI", "Online Prediction n1-standard-4", "Hours", "0.218", "//aiplatform.googleapis.com/projects/{acct}/locations/{region}/endpoints/{name}"},
    {2, "AI and Machine Learning", "Vertex AI", "VertexAI", "Custom Training A100 GPU", "Hours", "2.933908", "//aiplatform.googleapis.com/projects/{acct}/locations/{region}/customJobs/{name}"},
    {2, "Analytics", "BigQuery", "BigQuery", "Analysis", "GB", "0.0061035156", "//bigquery.googleapis.com/projects/{acct}/datasets/{name}"},
    {2, "Analytics", "BigQuery", "BigQuery", "Active Logical Storage", "GB-Mo", "0.02", "//bigquery.googleapis.com/projects/{acct}/datasets/{name}"},
    {2, "Analytics", "BigQuery", "BigQuery", "Long Term Logical Storage", "GB-Mo", "0.01", "//bigquery.googleapis.com/projects/{acct}/datasets/{name}"},
    {2, "Analytics", "Dataflow", "Dataflow", "Dataflow vCPU Time Batch", "Hours", "0.056", "//dataflow.googleapis.com/projects/{acct}/locations/{region}/jobs/{name}"},
    {2, "Analytics", "Pub/Sub", "PubSub", "Message Delivery Basic", "GB", "0.04", "//pubsub.googleapis.com/projects/{acct}/topics/{name}"},
    {2, "Analytics", "Dataproc", "Dataproc", "Dataproc vCPU", "Hours", "0.01", "//dataproc.googleapis.com/projects/{acct}/regions/{region}/clusters/{name}"},
};

constexpr size_t sku_count = 200;

// Resource-unit code prefix for each service category.
inline const char* ru_prefix(std::string_view category) {
    if (category == "Compute") return "CMP";
    if (category == "Storage") return "STO";
    if (category == "Databases") return "DBS";
    if (category == "Networking") return "NET";
    if (category == "AI and Machine Learning") return "AIM";
    return "ANL";  // Analytics
}

struct Sku {
    const SkuTemplate* tmpl;
    int provider;
    int region_variant;    // 0: the provider's first region, 1: its second
    std::string region;
    std::string usage;     // the template's usage type, marked with the region where it differs
    std::string sku_id;
    std::string sku_price_id;
    int64_t price;         // list unit price, 10^-10 USD
    std::string rule_name;
    std::string description;  // ChargeDescription
    std::string ru;
    std::string model;     // "per-unit" (3 in 5), "markup" (1 in 5), "tiered" (1 in 5)
    uint64_t weight;       // popularity: Zipf, 1 / rank
};

inline const char* unit_phrase(std::string_view unit) {
    if (unit == "Hours") return "hour";
    if (unit == "GB-Mo") return "GB-month";
    if (unit == "Requests") return "request";
    if (unit == "1K tokens") return "1,000 tokens";
    return "GB";
}

inline std::string random_chars(Rng& rng, std::string_view alphabet, size_t count) {
    std::string out;
    for (size_t k = 0; k < count; ++k) out += alphabet[rng.below(alphabet.size())];
    return out;
}

// Random text in a shape: each '#' becomes a character of the alphabet, anything else is kept.
// (One call per string, because `f(rng) + f(rng)` draws in an order each compiler may choose.)
inline std::string random_shaped(Rng& rng, std::string_view alphabet, std::string_view shape) {
    std::string out;
    for (char c : shape) out += c == '#' ? alphabet[rng.below(alphabet.size())] : c;
    return out;
}

// SKU identifiers in each provider's own shape.
inline std::string make_sku_id(int provider, Rng& rng) {
    constexpr std::string_view upper = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    constexpr std::string_view hex = "0123456789ABCDEF";
    switch (provider) {
        case 0: return random_chars(rng, upper, 16);                                         // G95FST5FTYV3JSRX
        case 1: return random_shaped(rng, upper, "############/####");                     // DZH318Z0BQPS/00TG
        default: return random_shaped(rng, hex, "####-####-####");                           // 6F81-5844-456A
    }
}

inline std::string make_sku_price_id(int provider, const std::string& sku_id, Rng& rng) {
    constexpr std::string_view upper = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    switch (provider) {
        case 0: return sku_id + ".JRTCKXETXF." + random_chars(rng, upper, 10);  // on-demand offer term
        case 1: return sku_id + "/" + random_chars(rng, upper, 4);
        default: return sku_id + "/" + random_chars(rng, upper, 8);
    }
}

// Region-marked usage types, as the providers spell them.
inline std::string regional_usage(const SkuTemplate& t, const std::string& region, int variant) {
    if (variant == 0 && t.provider == 0) return t.usage;  // AWS leaves its home region unmarked
    if (t.provider == 0) return (region == "us-west-2" ? "USW2-" : "USE1-") + std::string(t.usage);
    return std::string(t.usage) + " (" + region + ")";
}

// The 200 SKUs: every template in its provider's first region, then as many as fit in the
// second region (4% dearer there). Popularity ranks are a seeded shuffle, weights 1/rank.
inline std::vector<Sku> make_catalogue(uint64_t seed) {
    constexpr size_t template_count = std::size(sku_templates);
    static_assert(template_count * 2 >= sku_count, "too few SKU templates for the catalogue");
    Rng rng(seed, 0xCA7A);
    std::vector<Sku> skus;
    std::set<std::string> ids;
    int ru_numbers[6] = {};
    const char* prefixes[6] = {"CMP", "STO", "DBS", "NET", "AIM", "ANL"};
    for (size_t i = 0; i < sku_count; ++i) {
        const SkuTemplate& t = sku_templates[i % template_count];
        Sku s;
        s.tmpl = &t;
        s.provider = t.provider;
        s.region_variant = static_cast<int>(i / template_count);
        s.region = providers[t.provider].regions[s.region_variant];
        s.usage = regional_usage(t, s.region, s.region_variant);
        do {
            s.sku_id = make_sku_id(t.provider, rng);
        } while (!ids.insert(s.sku_id).second);
        s.sku_price_id = make_sku_price_id(t.provider, s.sku_id, rng);
        const int64_t base = parse_price(t.price);
        s.price = s.region_variant == 0
                      ? base
                      : static_cast<int64_t>(divide_half_even(static_cast<unsigned __int128>(base) * 104, 100));
        // AWS rules read as the CUR names things (AmazonEC2 BoxUsage:m5.large); the others by service.
        s.rule_name = fmt::format("{} {} {}", providers[t.provider].short_name,
                                  t.provider == 0 ? t.code : t.service, s.usage);
        s.description = fmt::format("${} per {}", price_text(s.price), unit_phrase(t.unit));
        const std::string_view prefix = ru_prefix(t.category);
        const size_t cat = static_cast<size_t>(std::find(prefixes, prefixes + 6, prefix) - prefixes);
        s.ru = fmt::format("{}-{:04}", prefix, ++ru_numbers[cat]);
        s.model = i % 5 < 3 ? "per-unit" : (i % 5 == 3 ? "markup" : "tiered");
        skus.push_back(std::move(s));
    }
    std::vector<size_t> order(sku_count);
    for (size_t i = 0; i < sku_count; ++i) order[i] = i;
    for (size_t i = sku_count - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);  // Fisher-Yates
    for (size_t rank = 0; rank < sku_count; ++rank) skus[order[rank]].weight = 1'000'000'000'000ull / (rank + 1);
    return skus;
}

// ---- agencies, cost centers, sub-accounts -------------------------------------------------------

struct Agency {
    const char* name;
    const char* abbreviation;
};

inline const Agency agencies[] = {
    {"Department of Motor Vehicles", "TxDMV"},
    {"Department of Transportation", "TxDOT"},
    {"Department of Public Safety", "DPS"},
    {"Health and Human Services Commission", "HHSC"},
    {"Department of State Health Services", "DSHS"},
    {"Texas Education Agency", "TEA"},
    {"Comptroller of Public Accounts", "CPA"},
    {"Office of the Attorney General", "OAG"},
    {"Texas Workforce Commission", "TWC"},
    {"Department of Information Resources", "DIR"},
    {"Commission on Environmental Quality", "TCEQ"},
    {"General Land Office", "GLO"},
    {"Parks and Wildlife Department", "TPWD"},
    {"Department of Criminal Justice", "TDCJ"},
    {"Department of Family and Protective Services", "DFPS"},
    {"Department of Insurance", "TDI"},
    {"Railroad Commission", "RRC"},
    {"Department of Agriculture", "TDA"},
    {"Water Development Board", "TWDB"},
    {"Department of Licensing and Regulation", "TDLR"},
    {"Lottery Commission", "TLC"},
    {"Department of Housing and Community Affairs", "TDHCA"},
    {"Secretary of State", "SOS"},
    {"Employees Retirement System", "ERS"},
    {"Teacher Retirement System", "TRS"},
    {"Alcoholic Beverage Commission", "TABC"},
    {"Juvenile Justice Department", "TJJD"},
    {"Veterans Commission", "TVC"},
    {"Department of Banking", "DOB"},
    {"Public Utility Commission", "PUC"},
    {"Higher Education Coordinating Board", "THECB"},
    {"State Library and Archives Commission", "TSLAC"},
    {"Facilities Commission", "TFC"},
    {"Animal Health Commission", "TAHC"},
    {"Historical Commission", "THC"},
    {"Military Department", "TMD"},
    {"Commission on Jail Standards", "TCJS"},
    {"Board of Nursing", "BON"},
    {"Medical Board", "TMB"},
    {"Department of Savings and Mortgage Lending", "SML"},
    {"Office of Court Administration", "OCA"},
    {"State Auditor's Office", "SAO"},
    {"Division of Emergency Management", "TDEM"},
    {"Commission on State Emergency Communications", "CSEC"},
    {"Office of Public Insurance Counsel", "OPIC"},
    {"Ethics Commission", "TEC"},
    {"Real Estate Commission", "TREC"},
    {"Board of Professional Engineers and Land Surveyors", "PELS"},
    {"Department of Aging and Disability Services", "DADS"},
    {"Office of the Governor", "GOV"},
};

inline const char* const workloads[] = {
    "Titles",   "Registration", "Licensing", "Permits",   "Payroll",        "Portal",    "Analytics",
    "Cases",    "GIS",          "Records",   "Eligibility", "Grants",       "Inspections", "Fleet",
    "Warehouse", "Web",         "Contact Center", "Identity", "Reporting",  "Claims",
};

inline const char* const environments[] = {"Production", "Staging", "Development", "Test"};

struct CostCenter {
    std::string code;          // CC-0001
    std::string account_code;  // 10001-0
    size_t agency;
};

struct SubAccount {
    int provider;
    std::string id;
    std::string name;
    size_t cost_center;  // the owner: index into the cost centers
    std::string workload;
    std::string environment;
};

// 500 cost centers: one for each agency first, the rest spread over the agencies with a heavy
// tail (large agencies run many programs). The account code is 10000 + the cost center number,
// and a suffix counting the agency's earlier cost centers (0 for its first).
inline std::vector<CostCenter> make_cost_centers(uint64_t seed) {
    constexpr size_t count = 500;
    constexpr size_t agency_count = std::size(agencies);
    Rng rng(seed, 0xACC7);
    std::vector<uint64_t> cumulative;
    uint64_t total = 0;
    for (size_t a = 0; a < agency_count; ++a) cumulative.push_back(total += 1'000'000 / (a + 3));
    std::vector<int> per_agency(agency_count, 0);
    std::vector<CostCenter> out;
    for (size_t i = 0; i < count; ++i) {
        const size_t agency = i < agency_count ? i : pick_weighted(cumulative, rng);
        out.push_back({fmt::format("CC-{:04}", i + 1), fmt::format("{}-{}", 10000 + i + 1, per_agency[agency] % 10),
                       agency});
        ++per_agency[agency];
    }
    return out;
}

inline std::string lower_dashed(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == ' ' || c == '_') out += '-';
        else if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
        else out += c;
    }
    return out;
}

// 500 sub-accounts (AWS accounts, Azure subscriptions, Google projects), sub-account i owned by
// cost center i.
inline std::vector<SubAccount> make_sub_accounts(uint64_t seed, const std::vector<CostCenter>& centers) {
    Rng rng(seed, 0x5AB);
    std::vector<SubAccount> out;
    for (size_t i = 0; i < centers.size(); ++i) {
        SubAccount s;
        s.provider = i % 10 < 5 ? 0 : (i % 10 < 8 ? 1 : 2);  // 250 AWS, 150 Azure, 100 Google
        s.cost_center = i;
        s.workload = workloads[rng.below(std::size(workloads))];
        s.environment = environments[rng.below(10) < 6 ? 0 : 1 + rng.below(3)];
        const Agency& agency = agencies[centers[i].agency];
        s.name = fmt::format("{} {} {}", agency.abbreviation, s.workload, s.environment);
        if (s.provider == 0) {
            s.id = fmt::format("{:012}", 100000000000ull + rng.below(900000000000ull));
        } else if (s.provider == 1) {
            constexpr std::string_view hex = "0123456789abcdef";
            s.id = random_shaped(rng, hex, "########-####-4###-a###-############");  // a version-4 GUID
        } else {
            s.id = fmt::format("{}-{}-{}-{:04}", lower_dashed(agency.abbreviation), lower_dashed(s.workload),
                               lower_dashed(s.environment).substr(0, 4), rng.below(10000));
        }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace ratebook::bench
