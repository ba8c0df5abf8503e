# syntax=docker/dockerfile:1

# Build: a static binary, built by the same script CI uses (.ci/build), which runs
#   CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" -o "${OUT}" ./cmd/migrawatch
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=
RUN VERSION="${VERSION}" COMMIT="${COMMIT}" OUT=/out/migrawatch .ci/build

# Run: distroless static (CA certificates and time zones included), as a non-root user.
FROM gcr.io/distroless/static:nonroot
COPY --from=build /out/migrawatch /migrawatch
USER nonroot:nonroot
ENV MIGRAWATCH_HTTP_ADDR=:8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 CMD ["/migrawatch", "healthcheck"]
ENTRYPOINT ["/migrawatch"]
CMD ["run"]
