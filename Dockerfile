# Builds the one dateline binary; docker-compose.yml runs it once per role.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/dateline ./cmd/dateline

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/dateline /usr/local/bin/dateline
COPY configs/dateline.yaml /etc/dateline/dateline.yaml
COPY pipelines /etc/dateline/pipelines
# The user the service runs as must own /data: a new named volume takes
# the owner of the image's directory.
RUN mkdir /data && chown 65534:65534 /data
USER 65534:65534
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["dateline"]
CMD ["serve", "--config", "/etc/dateline/dateline.yaml", "--data", "/data", "--listen", "0.0.0.0:8080"]
